package api

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"strings"

	"github.com/99designs/gqlgen/graphql/handler/transport"

	"github.com/kgraph/telegraph/graph"
	"github.com/kgraph/telegraph/kg"
)

// authorize records in each request's context whether it may write: reads need no token, and
// the resolvers of mutations refuse with the reason recorded here.
func authorize(next http.Handler, cfg Config) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := withAccess(r.Context(), access(cfg.Tokens, r.Header.Get("Authorization")))
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// wsAuth takes the token of a websocket from its connection_init payload ("Authorization" or
// "authorization"), since browsers cannot set headers on a websocket; without one, the
// Authorization header of the upgrade request decides.
func wsAuth(cfg Config) transport.WebsocketInitFunc {
	return func(ctx context.Context, p transport.InitPayload) (context.Context, *transport.InitPayload, error) {
		h := p.Authorization()
		if h == "" {
			h = p.GetString("authorization")
		}
		if h == "" {
			return ctx, nil, nil // the upgrade request's own header, if any, decides
		}
		return withAccess(ctx, access(cfg.Tokens, h)), nil, nil
	}
}

type accessKey struct{}

// withAccess records whether the request may write, for the resolvers and for denied.
func withAccess(ctx context.Context, denied error) context.Context {
	return context.WithValue(graph.WithWriteAccess(ctx, denied), accessKey{}, &denied)
}

// denied returns why the request may not write, or nil when it may.
func denied(ctx context.Context) error {
	if d, ok := ctx.Value(accessKey{}).(*error); ok {
		return *d
	}
	return kg.Errorf(kg.EForbidden, "the server is read-only: start it with --token (or KG_TOKEN) to accept writes")
}

// access returns nil when the Authorization header value carries one of the tokens, and the
// error a mutation should fail with otherwise.
func access(tokens []string, header string) error {
	if len(tokens) == 0 {
		return kg.Errorf(kg.EForbidden, "the server is read-only: start it with --token (or KG_TOKEN) to accept writes")
	}
	scheme, tok, ok := strings.Cut(strings.TrimSpace(header), " ")
	if header == "" || !ok || !strings.EqualFold(scheme, "Bearer") {
		return kg.Errorf(kg.EUnauthenticated, "writes need an `Authorization: Bearer <token>` header with a token the server was started with")
	}
	// Comparing digests keeps the comparison's time independent of the tokens' lengths.
	got := sha256.Sum256([]byte(strings.TrimSpace(tok)))
	found := 0
	for _, t := range tokens {
		want := sha256.Sum256([]byte(t))
		found |= subtle.ConstantTimeCompare(got[:], want[:])
	}
	if found == 0 {
		return kg.Errorf(kg.EUnauthenticated, "the bearer token is not one the server accepts")
	}
	return nil
}
