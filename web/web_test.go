package web_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/kgraph/telegraph/web"
)

func get(t *testing.T, h http.Handler, path string) (int, http.Header, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	b, _ := io.ReadAll(rec.Result().Body)
	return rec.Code, rec.Result().Header, string(b)
}

func TestNotBuilt(t *testing.T) {
	h := web.NewHandler(fstest.MapFS{})
	for _, path := range []string{"/", "/explore", "/curate", "/article"} {
		t.Run(path, func(t *testing.T) {
			code, _, body := get(t, h, path)
			if code != http.StatusServiceUnavailable {
				t.Errorf("status = %d, want 503", code)
			}
			if !strings.Contains(body, web.BuildCommand) || strings.Count(body, "\n") != 1 {
				t.Errorf("body = %q, want one line naming %q", body, web.BuildCommand)
			}
		})
	}
	if code, _, _ := get(t, h, "/nothing-here"); code != http.StatusNotFound {
		t.Errorf("GET /nothing-here = %d, want 404", code)
	}
}

func TestBuilt(t *testing.T) {
	h := web.NewHandler(fstest.MapFS{
		"index.html":         {Data: []byte("<title>playground</title>")},
		"explore/index.html": {Data: []byte("<title>explorer</title>")},
		"curate/index.html":  {Data: []byte("<title>curate</title>")},
		"article/index.html": {Data: []byte("<title>article</title>")},
		"assets/app-1a2b.js": {Data: []byte("console.log(1)")},
	})
	tests := []struct {
		path, want, cache string
		code              int
	}{
		{"/", "playground", "no-cache", 200},
		{"/explore", "explorer", "no-cache", 200},
		{"/explore/", "explorer", "no-cache", 200},
		{"/curate", "curate", "no-cache", 200},
		{"/article", "article", "no-cache", 200},
		{"/assets/app-1a2b.js", "console.log", "immutable", 200},
		{"/assets/missing.js", "", "", 404},
		{"/explore/index.html", "", "", 404},
		{"/elsewhere", "", "", 404},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			code, hdr, body := get(t, h, tt.path)
			if code != tt.code {
				t.Fatalf("status = %d, want %d", code, tt.code)
			}
			if !strings.Contains(body, tt.want) {
				t.Errorf("body = %q, want %q in it", body, tt.want)
			}
			if !strings.Contains(hdr.Get("Cache-Control"), tt.cache) {
				t.Errorf("Cache-Control = %q, want %q in it", hdr.Get("Cache-Control"), tt.cache)
			}
		})
	}
}
