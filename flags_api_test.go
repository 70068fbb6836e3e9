package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
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
	t.Setenv("KG_TOKEN", "token-a-0123456789, token-b-0123456789")
	var c config
	fs := c.flags("serve", &bytes.Buffer{})
	if err := fs.Parse(nil); err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(c.api.Tokens, " "), "token-a-0123456789 token-b-0123456789"; got != want {
		t.Errorf("tokens from KG_TOKEN = %q, want %q", got, want)
	}
	c = config{}
	fs = c.flags("serve", &bytes.Buffer{})
	if err := fs.Parse([]string{"--token", "token-x-0123456789", "--token", "token-y-0123456789"}); err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(c.api.Tokens, " "), "token-x-0123456789 token-y-0123456789"; got != want {
		t.Errorf("tokens from flags = %q, want %q (flags replace KG_TOKEN)", got, want)
	}
}

func TestShortTokensStopTheCommand(t *testing.T) {
	long := strings.Repeat("k", MinTokenLength)
	for _, tc := range []struct {
		name     string
		env      string
		args     []string
		wantCode int
	}{
		{"short flag", "", []string{"--token", "secret"}, 2},
		{"one short among long flags", "", []string{"--token", long, "--token", long[1:]}, 2},
		{"short environment", "s3cret", nil, 2},
		{"long flag", "", []string{"--token", long}, 0},
		{"long environment", long + "," + long + "x", nil, 0},
		{"long multibyte", "", []string{"--token", strings.Repeat("é", MinTokenLength)}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("KG_TOKEN", tc.env)
			var out, errOut bytes.Buffer
			args := append([]string{"export", "--db", "memory"}, tc.args...)
			code := run(context.Background(), args, &out, &errOut)
			if code != tc.wantCode {
				t.Fatalf("exit %d, want %d; stderr %q", code, tc.wantCode, errOut.String())
			}
			if tc.wantCode == 0 {
				return
			}
			if msg := errOut.String(); !strings.Contains(msg, "at least 16") || !strings.Contains(msg, "KG_TOKEN") {
				t.Errorf("stderr = %q, want it to say a token needs at least 16 characters", msg)
			}
			for _, a := range tc.args {
				if a != "--token" && a != long && strings.Contains(errOut.String(), a) {
					t.Errorf("stderr %q shows the token %q", errOut.String(), a)
				}
			}
		})
	}
}

// TestEveryFlagIsInTheREADME checks that the README's configuration table has a row for every
// flag, with the flag's environment variable and its default.
func TestEveryFlagIsInTheREADME(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	var c config
	fs := c.flags("serve", io.Discard)
	fs.VisitAll(func(f *flag.Flag) {
		env := "KG_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		row := fmt.Sprintf("| `--%s` | `%s` |", f.Name, env)
		i := bytes.Index(readme, []byte(row))
		if i < 0 {
			t.Errorf("README has no row starting %s", row)
			return
		}
		if !strings.Contains(f.Usage, env) {
			t.Errorf("--%s: its help %q does not name %s", f.Name, f.Usage, env)
		}
		line, _, _ := bytes.Cut(readme[i:], []byte("\n"))
		if def := f.DefValue; def != "" && def != "[]" && !bytes.Contains(line, []byte("`"+def+"`")) {
			t.Errorf("README row of --%s does not give its default `%s`: %s", f.Name, def, line)
		}
	})
}
