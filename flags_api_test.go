package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestBadLimitsStopTheCommand(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"zero depth", nil, []string{"export", "--db", "memory", "--max-depth", "0"}, "--max-depth must be positive"},
		{"unparsable environment", map[string]string{"KG_TIMEOUT": "soon"}, []string{"export", "--db", "memory"}, `KG_TIMEOUT="soon"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			var out, errOut bytes.Buffer
			if code := run(context.Background(), tc.args, &out, &errOut); code != 2 || !strings.Contains(errOut.String(), tc.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, errOut.String(), tc.want)
			}
		})
	}
}

func TestTokensFromFlagsAndEnvironment(t *testing.T) {
	t.Setenv("KG_TOKEN", "a, b")
	var c config
	fs := c.flags("serve", &bytes.Buffer{})
	if err := fs.Parse(nil); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(c.api.Tokens, " "); got != "a b" {
		t.Errorf("tokens from KG_TOKEN = %q, want \"a b\"", got)
	}
	c = config{}
	fs = c.flags("serve", &bytes.Buffer{})
	if err := fs.Parse([]string{"--token", "x", "--token", "y"}); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(c.api.Tokens, " "); got != "x y" {
		t.Errorf("tokens from flags = %q, want \"x y\" (flags replace KG_TOKEN)", got)
	}
}
