package kg

// Edits made through the API that override what data files state. They are quads under
// EditsLabel, which no data file owns, so a sync of the data folder never drops them.
const (
	// EditsLabel labels deletions and merges made through the API.
	EditsLabel = "kg:edits"
	// PredDeleted marks an entity or relationship as deleted; the object is the reason given.
	PredDeleted = "kg:deleted"
	// PredMergedInto folds the subject entity into the object entity: the subject's names become
	// aliases of the object and its facts move over.
	PredMergedInto = "kg:mergedInto"
	// APIKeyPrefix starts the manifest key of an article written through the API; sync only
	// removes what data files own, so such articles survive it.
	APIKeyPrefix = "api:"
)
