// Package graph holds the GraphQL resolvers and the executor gqlgen generates from schema/.
package graph

//go:generate go tool gqlgen generate
//go:generate go run ../internal/seqlist generated.go

import (
	"github.com/kgraph/telegraph/index"
)

// Source gives resolvers the current read index.
type Source interface {
	Index() *index.Index
}

// Resolver is the root resolver: the one place dependencies are injected.
type Resolver struct {
	Graph Source
}
