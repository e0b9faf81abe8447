package oauth1

import "context"

type ctxT = context.Context

func bgCtx() context.Context { return context.Background() }
