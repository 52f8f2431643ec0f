// The fleet as the scheduler sees it, from what the hosts reported: each
// observed host as a Node (its inventory entry and its facts), each
// observed allocation as an ExistingAllocation. Pure: values in, values
// out; the CLI observes, this converts.
#pragma once

#include <string>

#include "drivers/host/observe.hpp"
#include "parser/spec/inventory.hpp"
#include "reconciler/scheduler/cluster.hpp"

namespace skiff::reconciler {

// ${attr.*}, drivers and capacity from the facts; the inventory's place,
// class, pool, meta and host volumes.
Node node_from(const spec::Host& host, const drivers::HostFacts& facts);
// A host that could not be reached: down (until planning weighs the
// grace), nothing known of it.
Node unreachable_node(const spec::Host& host);
// An allocation from what its host reported: running while any task runs,
// lost when a supervisor is gone, failed when a task died with an error,
// complete when every task ended well.
ExistingAllocation existing_from(const drivers::ObservedAllocation& observed, const std::string& host);

}  // namespace skiff::reconciler
