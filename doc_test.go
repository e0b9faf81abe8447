package oauth_test

import (
	"go/ast"
	"go/doc"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEveryExportedNameDocumented parses every library package (not
// examples, not tests) and fails on a package without a package comment or
// an exported name without a doc comment, so that `go doc` output stays
// complete as the library grows.
func TestEveryExportedNameDocumented(t *testing.T) {
	dirs := map[string]bool{}
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			name := d.Name()
			if path != "." && (strings.HasPrefix(name, ".") || name == "testdata" || name == "examples") {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go") {
			dirs[filepath.Dir(path)] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(dirs) < 3 {
		t.Fatalf("found only %d packages to check: %v", len(dirs), dirs)
	}
	for dir := range dirs {
		checkPackageDocs(t, dir)
	}
}

func checkPackageDocs(t *testing.T, dir string) {
	t.Helper()
	fset := token.NewFileSet()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var files []*ast.File
	for _, e := range entries {
		n := e.Name()
		if !strings.HasSuffix(n, ".go") || strings.HasSuffix(n, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, n), nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	if len(files) == 0 || files[0].Name.Name == "main" {
		return
	}
	pkg, err := doc.NewFromFiles(fset, files, "github.com/oauthkit/oauth/"+filepath.ToSlash(dir))
	if err != nil {
		t.Fatal(err)
	}
	missing := func(kind, name string) {
		t.Errorf("%s: exported %s %s has no doc comment", dir, kind, name)
	}
	if strings.TrimSpace(pkg.Doc) == "" {
		t.Errorf("%s: package %s has no package comment", dir, pkg.Name)
	}
	values := func(vs []*doc.Value, kind string) {
		for _, v := range vs {
			if v.Doc != "" {
				continue
			}
			// A value in an undocumented group needs its own line comment.
			for _, spec := range v.Decl.Specs {
				vs := spec.(*ast.ValueSpec)
				if vs.Doc != nil || vs.Comment != nil {
					continue
				}
				for _, n := range vs.Names {
					if n.IsExported() {
						missing(kind, n.Name)
					}
				}
			}
		}
	}
	funcs := func(fs []*doc.Func, prefix string) {
		for _, f := range fs {
			if f.Doc == "" && ast.IsExported(f.Name) {
				missing("func", prefix+f.Name)
			}
		}
	}
	values(pkg.Consts, "const")
	values(pkg.Vars, "var")
	funcs(pkg.Funcs, "")
	for _, typ := range pkg.Types {
		if typ.Doc == "" {
			missing("type", typ.Name)
		}
		values(typ.Consts, "const")
		values(typ.Vars, "var")
		funcs(typ.Funcs, "")
		funcs(typ.Methods, typ.Name+".")
	}
}
