// Package web serves the browser front ends built from this folder: the GraphiQL playground at /,
// the graph explorer at /explore, the curation page at /curate and the article page at /article.
// They are compiled by Vite into dist/app and embedded in the binary, so they work without
// internet access; when the binary was compiled before the front end was built, every page
// answers with the one command that builds it, and the API works as usual.
package web

import (
	"embed"
	"io/fs"
	"net/http"
	"strings"
)

// BuildCommand builds the front end; run it from the repository root, then start the server
// again so that the compiled assets are embedded.
const BuildCommand = "npm --prefix web ci && npm --prefix web run build"

//go:embed all:dist
var dist embed.FS

// Built reports whether the front end was built before the binary was compiled.
func Built() bool {
	_, err := fs.Stat(dist, "dist/app/index.html")
	return err == nil
}

// Handler returns the handler for the pages (/, /explore, /curate, /article) and their assets (/assets/...),
// served from the embedded build. Any other path is 404.
func Handler() http.Handler {
	app, err := fs.Sub(dist, "dist/app")
	if err != nil {
		// fs.Sub fails only on an invalid path name, which "dist/app" is not.
		panic(err)
	}
	return NewHandler(app)
}

// NewHandler returns the handler over a built front end: app holds index.html (the playground),
// explore/index.html (the explorer) and assets/. When app has no index.html the front end is
// taken as not built, and the pages answer 503 with the command that builds it.
func NewHandler(app fs.FS) http.Handler {
	if _, err := fs.Stat(app, "index.html"); err != nil {
		return notBuilt()
	}
	assets := http.FileServerFS(app)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		switch {
		case r.URL.Path == "/":
			page(w, r, app, "index.html")
		case r.URL.Path == "/explore" || r.URL.Path == "/explore/":
			page(w, r, app, "explore/index.html")
		case r.URL.Path == "/curate" || r.URL.Path == "/curate/":
			// The page is public; what it writes needs a token, which it asks for.
			page(w, r, app, "curate/index.html")
		case r.URL.Path == "/article" || r.URL.Path == "/article/":
			page(w, r, app, "article/index.html")
		case strings.HasPrefix(r.URL.Path, "/assets/"):
			// Vite names assets by content hash, so a name never changes meaning.
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
			assets.ServeHTTP(w, r)
		default:
			http.NotFound(w, r)
		}
	})
}

// page serves one HTML page; pages are never cached, since they name the current assets.
func page(w http.ResponseWriter, r *http.Request, app fs.FS, name string) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	b, err := fs.ReadFile(app, name)
	if err != nil {
		http.Error(w, "the front end build is incomplete ("+name+" is missing); rebuild it with: "+BuildCommand, http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(b)
}

func notBuilt() http.Handler {
	msg := "The web front end is not built into this binary; build it with: " + BuildCommand +
		", then start the server again (the GraphQL API at /query works without it).\n"
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch strings.TrimSuffix(r.URL.Path, "/") {
		case "", "/explore", "/curate", "/article":
		default:
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte(msg))
	})
}
