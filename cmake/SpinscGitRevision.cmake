# Writes OUTPUT (a C header defining SPINSC_GIT_REVISION) from the git checkout at SOURCE_DIR:
# `git rev-parse --short HEAD`, plus "-dirty" when tracked files differ from HEAD, or "unknown"
# when SOURCE_DIR is not a git checkout or git is missing. Run at every build (cmake -P); the
# file is rewritten only when the text changes, so an unchanged revision recompiles nothing.
find_package(Git QUIET)
set(revision "unknown")
if(GIT_FOUND)
  execute_process(COMMAND "${GIT_EXECUTABLE}" rev-parse --short HEAD
                  WORKING_DIRECTORY "${SOURCE_DIR}" RESULT_VARIABLE rc OUTPUT_VARIABLE head
                  ERROR_QUIET OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(rc EQUAL 0 AND NOT head STREQUAL "")
    set(revision "${head}")
    execute_process(COMMAND "${GIT_EXECUTABLE}" status --porcelain --untracked-files=no
                    WORKING_DIRECTORY "${SOURCE_DIR}" RESULT_VARIABLE rc OUTPUT_VARIABLE changes
                    ERROR_QUIET OUTPUT_STRIP_TRAILING_WHITESPACE)
    if(NOT rc EQUAL 0 OR NOT changes STREQUAL "")
      string(APPEND revision "-dirty")
    endif()
  endif()
endif()
set(text "#pragma once\n#define SPINSC_GIT_REVISION \"${revision}\"\n")
if(EXISTS "${OUTPUT}")
  file(READ "${OUTPUT}" old_text)
else()
  set(old_text "")
endif()
if(NOT old_text STREQUAL text)
  file(WRITE "${OUTPUT}" "${text}")
endif()
