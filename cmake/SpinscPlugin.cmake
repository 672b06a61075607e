# spinsc_add_plugin(<kind.name> SOURCES file... [LIBRARIES lib...])
#
# Builds one plugin: a shared library libspinsc_<kind>_<name>.so in its own folder
# <plugin dir>/<kind.name>/, with hidden visibility, linked to the spinsc framework library.
# In the source tree the folder is below ${SPINSC_BUILD_PLUGIN_DIR}; out of tree it is below
# the current binary dir (add it to SPINSC_PLUGIN_PATH). Installs to ${SPINSC_PLUGIN_INSTALL_DIR}.
function(spinsc_add_plugin plugin_id)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBRARIES" ${ARGN})
  string(REPLACE "." "_" target "spinsc_${plugin_id}")
  add_library(${target} MODULE ${ARG_SOURCES})
  if(TARGET spinsc)
    target_link_libraries(${target} PRIVATE spinsc ${ARG_LIBRARIES})
    set(out_root "${SPINSC_BUILD_PLUGIN_DIR}")
  else()
    target_link_libraries(${target} PRIVATE spinsc::spinsc ${ARG_LIBRARIES})
    set(out_root "${CMAKE_CURRENT_BINARY_DIR}/plugins-out")
    # Out of tree: the same instruction set as the installed spinsc, so that Eigen's alignment
    # (and with it the layout of objects that cross the plugin boundary) agrees.
    if(SPINSC_ARCH)
      target_compile_options(${target} PRIVATE -march=${SPINSC_ARCH})
    endif()
  endif()
  set_target_properties(${target} PROPERTIES
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    LIBRARY_OUTPUT_DIRECTORY "${out_root}/${plugin_id}"
    INSTALL_RPATH "$ORIGIN/../../..")
  if(DEFINED SPINSC_PLUGIN_INSTALL_DIR)
    install(TARGETS ${target} LIBRARY DESTINATION "${SPINSC_PLUGIN_INSTALL_DIR}/${plugin_id}")
  endif()
endfunction()
