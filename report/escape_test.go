package report

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// hostile holds the values a results file or a folder name can carry that
// once went into pages as they were.
const hostile = "a|b <script>alert(1)</script>\n| x | [link](javascript:alert(1)) `tick` &amp;"

// unescapedPipes counts the | of a line that Markdown reads as cell
// separators.
func unescapedPipes(line string) int {
	n := 0
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case '\\':
			i++
		case '|':
			n++
		}
	}
	return n
}

// checkMarkdown fails if md holds raw HTML other than the page's own
// details blocks, a line that starts a table row but holds a different
// number of cells from its table's header, or a link whose target is not
// percent-encoded.
func checkMarkdown(t *testing.T, md string) {
	t.Helper()
	if regexp.MustCompile(`(^|[^\\])(<script|\]\(javascript:)`).MatchString(md) {
		t.Errorf("raw HTML or a script link got through:\n%s", md)
	}
	allowed := []string{"<details>", "</details>", "<summary>", "</summary>", "<!-- Written by concbench"}
	for i := 0; i < len(md); i++ {
		switch {
		case md[i] == '\\':
			i++
		case md[i] == '<' && !slices.ContainsFunc(allowed, func(a string) bool { return strings.HasPrefix(md[i:], a) }):
			t.Errorf("raw < at %q", md[i:min(len(md), i+30)])
		}
	}
	cells := 0
	for i, line := range strings.Split(md, "\n") {
		if !strings.HasPrefix(line, "|") {
			cells = 0
			continue
		}
		n := unescapedPipes(line)
		if cells == 0 {
			cells = n
		} else if n != cells {
			t.Errorf("line %d has %d cell separators, its table %d: %q", i+1, n, cells, line)
		}
	}
}

// TestEscaping writes a page and the index for a machine whose folder
// name and configuration lines hold table separators, HTML and line
// breaks: each is escaped, link targets percent-encoded.
func TestEscaping(t *testing.T) {
	text := readText(t, quickFile)
	for _, key := range []string{"commit", "go", "date", "cpu", "machine"} {
		text = regexp.MustCompile("(?m)^"+key+": .*$").ReplaceAllString(text, key+": "+strings.ReplaceAll(hostile, "\n", " "))
	}
	text = strings.ReplaceAll(text, "workload=sha256", "workload=sha|<b>256")
	text = strings.ReplaceAll(text, "BenchmarkOverhead/", "BenchmarkOver<i>head/")
	root := t.TempDir()
	name := strings.ReplaceAll(hostile, "/", "-")
	dir := filepath.Join(root, name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "run.txt")
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	run := mustRead(t, file)
	if run.Incomplete != "" || run.Config["commit"] == "" || !strings.Contains(run.Machine, "<script>") {
		t.Fatalf("the hostile run did not read as complete: %q, %v", run.Incomplete, run.Config)
	}
	ms := Machines([]*Run{run})
	if _, err := WritePage(root, ms[0]); err != nil {
		t.Fatal(err)
	}
	if err := WriteIndex(root, ms); err != nil {
		t.Fatal(err)
	}
	page := readText(t, filepath.Join(dir, "README.md"))
	index := readText(t, filepath.Join(root, "README.md"))
	checkMarkdown(t, page)
	checkMarkdown(t, index)
	if want := "](" + mdLink(name) + "/README.md)"; !strings.Contains(index, want) || strings.Contains(mdLink(name), " ") {
		t.Errorf("index lacks the encoded link %q:\n%s", want, index)
	}
	if !strings.Contains(page, `a\|b \<script\>alert(1)\</script\> \| x \| [link]\(javascript:alert(1)) \`+"`tick\\` \\&amp;") {
		t.Errorf("the page does not show the hostile commit escaped:\n%s", page)
	}
}

func TestMdCode(t *testing.T) {
	for in, want := range map[string]string{
		"pool":     "`pool`",
		"a|b":      "`a\\|b`",
		"a`b":      "a\\`b",
		"a\nb<i>":  `a b\<i\>`,
		"":         "",
		"<script>": `\<script\>`,
	} {
		if got := mdCode(in); got != want {
			t.Errorf("mdCode(%q) = %q, want %q", in, got, want)
		}
	}
}
