// Package clitest runs an example program's run function in a test.
package clitest

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"strings"
	"testing"
	"time"
)

// Run calls run with args and returns what it printed; it fails the test
// if run fails. A minute bounds a program that waits for a callback that
// never comes.
func Run(t testing.TB, run func(context.Context, []string, io.Writer) error, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var out bytes.Buffer
	if err := run(ctx, args, &out); err != nil {
		t.Fatalf("run %q: %v\noutput:\n%s", args, err, out.String())
	}
	return out.String()
}

// Contains fails the test unless out contains each of wants.
func Contains(t testing.TB, out string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
}

// Help runs the program with -h and checks that it returns flag.ErrHelp
// and that its usage names -fake and each of wants (the environment
// variables it reads).
func Help(t testing.TB, run func(context.Context, []string, io.Writer) error, wants ...string) {
	t.Helper()
	var out bytes.Buffer
	if err := run(context.Background(), []string{"-h"}, &out); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("run -h = %v, want flag.ErrHelp", err)
	}
	Contains(t, out.String(), append([]string{"-fake", "Environment"}, wants...)...)
}
