package bench

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// runGroup runs the benchmarks of Suite in group as sub-benchmarks of b.
func runGroup(b *testing.B, group string) {
	found := false
	for _, s := range Suite(testing.Short()) {
		if s.Group != group {
			continue
		}
		found = true
		b.Run(s.Name, func(b *testing.B) {
			if err := s.Run(b.Context(), b); err != nil {
				b.Fatal(err)
			}
		})
	}
	if !found {
		b.Fatalf("no benchmark of Suite is in group %s", group)
	}
}

// TestSuiteGroupsAreBenchmarks holds Suite's groups and the test files'
// Benchmark functions to each other, in the same order: a group without a
// function would be run by concbench bench alone, a function without a
// group by go test alone.
func TestSuiteGroupsAreBenchmarks(t *testing.T) {
	files, err := filepath.Glob("*_test.go")
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(files) // the order go test runs them in
	var funcs []string
	fset := token.NewFileSet()
	for _, name := range files {
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && strings.HasPrefix(fd.Name.Name, "Benchmark") {
				funcs = append(funcs, fd.Name.Name)
			}
		}
	}
	var groups []string
	for _, s := range Suite(true) {
		if len(groups) == 0 || groups[len(groups)-1] != s.Group {
			groups = append(groups, s.Group)
		}
	}
	if !slices.Equal(groups, funcs) {
		t.Errorf("Suite's groups, in order:\n  %v\nBenchmark functions of the test files:\n  %v", groups, funcs)
	}
}
