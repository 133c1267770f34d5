package report

import (
	"net/url"
	"strings"
)

// mdReplacer escapes what lets text from a results file (a folder name, a
// commit, a benchmark name) change a page's structure: table cells (|),
// raw HTML (< > &), links and images (the "](" between text and target;
// a bracket alone, as in an interval, stays), code spans (`), backslash
// escapes themselves, and line breaks, which end a table row.
var mdReplacer = strings.NewReplacer(
	`\`, `\\`, "|", `\|`, "<", `\<`, ">", `\>`, "&", `\&`, "](", `]\(`, "`", "\\`",
	"\r\n", " ", "\n", " ", "\r", " ",
)

// mdEscape makes s plain text anywhere in Markdown, table cells included.
func mdEscape(s string) string { return mdReplacer.Replace(s) }

// mdCode writes s as a code span, or as escaped text where s holds a
// backtick or a line break, which a code span cannot hold, or HTML, which
// some renderers read even there. In a table a code span still needs its
// | escaped.
func mdCode(s string) string {
	if s == "" || strings.ContainsAny(s, "`\r\n<>&") {
		return mdEscape(s)
	}
	return "`" + strings.ReplaceAll(s, "|", `\|`) + "`"
}

// mdLink escapes a relative link target: each element of the slash
// separated path is percent-encoded, so that no name can end the target
// or turn it into another scheme.
func mdLink(path string) string {
	elems := strings.Split(path, "/")
	for i, e := range elems {
		if e != ".." && e != "." {
			// A colon would let a first element read as a scheme.
			elems[i] = strings.ReplaceAll(url.PathEscape(e), ":", "%3A")
		}
	}
	return strings.Join(elems, "/")
}
