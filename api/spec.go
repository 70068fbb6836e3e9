package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
)

// specStatus shapes error responses the way the GraphQL over HTTP specification asks, where
// gqlgen's own choice differs: a client that accepts only application/json gets 200 for a
// document that fails to parse or validate (the request itself was well-formed, and the errors
// are in the body), and a client that accepts application/graphql-response+json gets no "data"
// entry in a response that did not execute.
func specStatus(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
			next.ServeHTTP(w, r) // the websocket needs the connection as it is
			return
		}
		sw := &specWriter{ResponseWriter: w, modern: strings.Contains(r.Header.Get("Accept"), "application/graphql-response+json")}
		next.ServeHTTP(sw, r)
		sw.flush()
	})
}

type specWriter struct {
	http.ResponseWriter
	modern bool
	status int
	held   *bytes.Buffer // the body of an error response that may need its data entry removed
}

func (s *specWriter) WriteHeader(code int) {
	switch {
	case !s.modern && code == http.StatusUnprocessableEntity:
		code = http.StatusOK
	case s.modern && code >= 400 && code != http.StatusRequestEntityTooLarge:
		s.status, s.held = code, &bytes.Buffer{}
		return
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *specWriter) Write(b []byte) (int, error) {
	if s.held != nil {
		return s.held.Write(b)
	}
	return s.ResponseWriter.Write(b)
}

func (s *specWriter) flush() {
	if s.held == nil {
		return
	}
	body := s.held.Bytes()
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) == nil && string(m["data"]) == "null" {
		delete(m, "data")
		if b, err := json.Marshal(m); err == nil {
			body = b
		}
	}
	s.ResponseWriter.Header().Del("Content-Length")
	s.ResponseWriter.WriteHeader(s.status)
	s.ResponseWriter.Write(body)
}
