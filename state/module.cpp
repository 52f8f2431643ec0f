// The state module (State model, codec, stores, lock) arrives with the
// state/lock issue; this translation unit keeps the library target valid.
namespace skiff::state {}
