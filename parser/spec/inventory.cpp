#include "parser/spec/inventory.hpp"

namespace skiff::spec {

std::string to_string(Transport transport) { return transport == Transport::kLocal ? "local" : "ssh"; }

const Host* Inventory::find(const std::string& name) const {
  for (const Host& host : hosts)
    if (host.name == name) return &host;
  return nullptr;
}

Inventory builtin_local_inventory() {
  Host local;
  local.name = "local";
  local.transport = Transport::kLocal;
  // Never dialled: a local host runs commands through /bin/sh. The address
  // only shows in plans and messages.
  local.address = "localhost";
  return Inventory{"", {local}};
}

}  // namespace skiff::spec
