// The drivers module (Transport, ssh/local, the Drivers) arrives with the
// transport and driver issues; this translation unit keeps the library valid.
namespace skiff::drivers {}
