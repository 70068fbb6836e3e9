package abuse

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/kgraph/telegraph/bench/synth"
)

// write is one putArticle the run made: a new company in a partnership with the hub.
type write struct {
	probe string // the new company's name
	acked bool
}

const putArticle = `mutation($a: ArticleInput!, $e: [EntityInput!], $r: [RelationshipInput!]) {
  putArticle(article: $a, entities: $e, relationships: $r) { article { key } added } }`

// putArticle writes an article stating a partnership between the hub and a new company; the
// subscribers' heavy selection then walks the hub's relationships for every event.
func (h *harness) putArticle(ctx context.Context, k int) Outcome {
	id := fmt.Sprintf("kgabuse-%s-%d", h.runID, k)
	probe := fmt.Sprintf("Kgabuse Probe %s %d", h.runID, k)
	quote := fmt.Sprintf("%s and %s signed an agreement", hub, probe)
	vars := map[string]any{
		"a": map[string]any{"id": id, "title": "kgabuse probe " + id, "date": "2020-01-01", "author": "kgabuse"},
		"e": []map[string]any{
			{"id": synth.CompanyID(0), "kind": "Company", "name": hub, "quotes": []string{quote}},
			{"id": id + "-company", "kind": "Company", "name": probe, "quotes": []string{quote}},
		},
		"r": []map[string]any{{
			"id": id + "-deal", "relation": "partnership", "quotes": []string{quote},
			"participants": []map[string]any{{"role": "party", "entity": synth.CompanyID(0)}, {"role": "party", "entity": id + "-company"}},
			"attributes":   []map[string]any{{"key": "kind", "value": "agreement"}},
		}},
	}
	req := jsonRequest(gql(putArticle, vars))
	req.header = http.Header{"Authorization": {"Bearer " + h.cfg.Token}}
	url, _ := h.target()
	o := send(ctx, h.hostile, url, req, h.cfg.ClientTimeout)
	h.mu.Lock()
	h.writes = append(h.writes, write{probe: probe, acked: o.Label == "200 ok"})
	h.mu.Unlock()
	return o
}

// checkWrites reads back every acknowledged write: the new company must be a partner of the hub.
func (h *harness) checkWrites(ctx context.Context) WriteCheck {
	var wc WriteCheck
	if h.cfg.Token == "" {
		wc.Skipped = "none made (no token)"
		return wc
	}
	h.mu.Lock()
	writes := append([]write(nil), h.writes...)
	h.mu.Unlock()
	if len(writes) == 0 {
		wc.Skipped = "none made (the case that writes did not run)"
		return wc
	}
	url, _ := h.target()
	c := &http.Client{Transport: newTransport(1)}
	defer c.CloseIdleConnections()
	for _, w := range writes {
		wc.Sent++
		if !w.acked {
			continue
		}
		wc.Acknowledged++
		if h.partnerOfHub(ctx, c, url, w.probe) {
			wc.Present++
		} else {
			wc.Missing = append(wc.Missing, w.probe)
		}
	}
	return wc
}

func (h *harness) partnerOfHub(ctx context.Context, c *http.Client, url, name string) bool {
	ctx, cancel := context.WithTimeout(ctx, h.cfg.ClientTimeout)
	defer cancel()
	body := gql(`query($n: String!) { partners(of: $n) { name } }`, map[string]any{"n": name})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url+"/query", bytes.NewReader(body))
	if err != nil {
		return false
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	var out struct {
		Data struct {
			Partners []struct{ Name string }
		}
	}
	if json.NewDecoder(resp.Body).Decode(&out) != nil {
		return false
	}
	for _, p := range out.Data.Partners {
		if p.Name == hub {
			return true
		}
	}
	return false
}
