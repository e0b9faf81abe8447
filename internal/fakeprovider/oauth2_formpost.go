package fakeprovider

// OAuth 2.0 Form Post Response Mode: the page the authorization endpoint
// answers with for response_mode=form_post, and reading it back as a
// browser would.

import (
	"encoding/xml"
	"errors"
	"html"
	"io"
	"net/url"
	"strings"

	"github.com/oauthkit/oauth/internal/urlenc"
)

// formPostPage is the page of OAuth 2.0 Form Post Response Mode §2 (in the
// shape of its example): a form whose method is post and whose action is
// redirect, with a hidden input for each parameter of p, submitted by
// script when the page loads. Names and values are HTML-escaped.
func formPostPage(redirect string, p urlenc.Params) string {
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html>\n<head><title>Submit This Form</title></head>\n")
	b.WriteString("<body onload=\"javascript:document.forms[0].submit()\">\n")
	b.WriteString("<form method=\"post\" action=\"" + html.EscapeString(redirect) + "\">\n")
	for _, kv := range p {
		b.WriteString("<input type=\"hidden\" name=\"" + html.EscapeString(kv.Key) + "\" value=\"" + html.EscapeString(kv.Value) + "\"/>\n")
	}
	b.WriteString("</form>\n</body>\n</html>\n")
	return b.String()
}

// ErrNoFormPost is returned by [ReadFormPost] for a page without a form
// that posts.
var ErrNoFormPost = errors.New("fakeprovider: page has no form with method post")

// ReadFormPost reads an HTML page as the authorization endpoint sends for
// response_mode=form_post and returns what a browser would submit: the
// first form's action URL and the names and values of its inputs, in
// order. It reads the page as XHTML with HTML's entities and unclosed
// elements allowed, which suffices for the provider's pages, not for any
// HTML. A page without a form whose method is post gives [ErrNoFormPost];
// a page that does not parse up to the end of that form, the parser's
// error. It does not bound what
// it reads: give it a limited reader for pages it did not make.
func ReadFormPost(page io.Reader) (action string, form url.Values, err error) {
	d := xml.NewDecoder(page)
	d.Strict = false
	d.AutoClose = xml.HTMLAutoClose
	d.Entity = xml.HTMLEntity
	inForm := false
	for {
		tok, err := d.Token()
		if err == io.EOF || err != nil && form != nil && !inForm {
			break // what follows a complete form does not matter
		}
		if err != nil {
			return "", nil, err
		}
		switch el := tok.(type) {
		case xml.StartElement:
			name := strings.ToLower(el.Name.Local)
			switch {
			case name == "form" && form == nil && strings.EqualFold(attr(el, "method"), "post"):
				inForm, action, form = true, attr(el, "action"), url.Values{}
			case name == "input" && inForm && attr(el, "name") != "":
				form.Add(attr(el, "name"), attr(el, "value"))
			}
		case xml.EndElement:
			if strings.EqualFold(el.Name.Local, "form") {
				inForm = false
			}
		}
	}
	if form == nil {
		return "", nil, ErrNoFormPost
	}
	return action, form, nil
}

// attr returns the value of el's attribute name, "" if it has none.
func attr(el xml.StartElement, name string) string {
	for _, a := range el.Attr {
		if strings.EqualFold(a.Name.Local, name) {
			return a.Value
		}
	}
	return ""
}
