# The tree-sitter C runtime and the HCL grammar come from the npm registry,
# pinned in package-lock.json and installed by `npm ci --ignore-scripts`.
# They are compiled here as one static library; nothing prebuilt is used.
set(SKIFF_NODE_MODULES ${CMAKE_CURRENT_SOURCE_DIR}/node_modules CACHE PATH
    "node_modules holding tree-sitter and @tree-sitter-grammars/tree-sitter-hcl")
set(TS_RUNTIME ${SKIFF_NODE_MODULES}/tree-sitter/vendor/tree-sitter/lib)
set(TS_HCL ${SKIFF_NODE_MODULES}/@tree-sitter-grammars/tree-sitter-hcl/src)
if(NOT EXISTS ${TS_RUNTIME}/src/lib.c OR NOT EXISTS ${TS_HCL}/parser.c)
  message(FATAL_ERROR "tree-sitter sources missing under ${SKIFF_NODE_MODULES}: run `npm ci --ignore-scripts` (scripts/install-deps does it)")
endif()
add_library(tree_sitter_hcl STATIC ${TS_RUNTIME}/src/lib.c ${TS_HCL}/parser.c ${TS_HCL}/scanner.c)
target_include_directories(tree_sitter_hcl SYSTEM PUBLIC ${TS_RUNTIME}/include PRIVATE ${TS_RUNTIME}/src ${TS_HCL})
target_compile_options(tree_sitter_hcl PRIVATE -w -O2)
set_target_properties(tree_sitter_hcl PROPERTIES POSITION_INDEPENDENT_CODE ON)
