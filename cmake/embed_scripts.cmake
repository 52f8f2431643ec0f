# Inlines the shell and awk programs of drivers/scripts/ into one C++ header,
# as ninja inlines browse.py: each becomes a std::string_view constant
# holding the program's text, byte for byte, without the file's header.
#
# Run in script mode (cmake -P) by the build, with:
#   SKIFF_SOURCE_DIR  the source tree
#   SKIFF_SCRIPTS     the scripts, relative to it, separated by commas (a
#                     semicolon would split the command line's argument)
#   SKIFF_TEMPLATE    the header's template (cmake/scripts.hpp.in)
#   SKIFF_OUTPUT      the header to write
#
# A script file is its header comment (what the program does, its arguments,
# what it prints, its exit codes, shellcheck's directives), then the marker
# line below, then the program. Only the program reaches the hosts: the
# header would lengthen every command line, and the text of observe.awk
# names its installed copy by its hash.
#
# The header is rewritten only when its text changes (configure_file), so
# an edit to a script's header comment recompiles nothing.

set(marker "# --- skiff embeds the text below, byte for byte ---")
# A raw string ends at its first ")delimiter\"": a script holding that
# sequence would end its constant early, so such a script fails the build.
set(delimiter "skiff_script")

foreach(required SKIFF_SOURCE_DIR SKIFF_SCRIPTS SKIFF_TEMPLATE SKIFF_OUTPUT)
  if(NOT DEFINED ${required})
    message(FATAL_ERROR "embed_scripts.cmake: ${required} is not set")
  endif()
endforeach()

# observe.awk -> kObserveAwk, supervisor_start.sh -> kSupervisorStartSh.
function(constant_name file out)
  get_filename_component(name "${file}" NAME)
  string(REGEX MATCHALL "[A-Za-z0-9]+" words "${name}")
  set(result "k")
  foreach(word IN LISTS words)
    string(SUBSTRING "${word}" 0 1 first)
    string(SUBSTRING "${word}" 1 -1 rest)
    string(TOUPPER "${first}" first)
    string(APPEND result "${first}${rest}")
  endforeach()
  set(${out} "${result}" PARENT_SCOPE)
endfunction()

string(REPLACE "," ";" scripts "${SKIFF_SCRIPTS}")
set(SKIFF_SCRIPT_CONSTANTS "")
set(SKIFF_SCRIPT_TABLE "")
foreach(script IN LISTS scripts)
  set(path "${SKIFF_SOURCE_DIR}/${script}")
  file(READ "${path}" text)
  string(FIND "${text}" "\n${marker}\n" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "${script}: no line \"${marker}\" after its header comment")
  endif()
  string(LENGTH "\n${marker}\n" marker_length)
  math(EXPR start "${at} + ${marker_length}")
  string(SUBSTRING "${text}" ${start} -1 program)
  string(FIND "${program}" ")${delimiter}\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${script} holds )${delimiter}\", which would end its C++ raw string early")
  endif()
  constant_name("${script}" constant)
  get_filename_component(name "${script}" NAME)
  string(APPEND SKIFF_SCRIPT_CONSTANTS
    "// ${script}\n"
    "inline constexpr std::string_view ${constant} = R\"${delimiter}(${program})${delimiter}\";\n\n")
  string(APPEND SKIFF_SCRIPT_TABLE "    {\"${name}\", ${constant}},\n")
endforeach()

configure_file("${SKIFF_TEMPLATE}" "${SKIFF_OUTPUT}" @ONLY)
