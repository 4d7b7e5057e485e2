# What `cmake --install` puts where besides the programs (the man page, the
# documentation), and the Debian package that CPack makes of it all:
#
#   cmake -S . -B build -DCMAKE_INSTALL_PREFIX=/usr -DMSNP_PLUGIN_INSTALL=prefix
#   cmake --build build -j2 && (cd build && cpack -G DEB)
#
# msnpdump goes to bin (cli/CMakeLists.txt), the Wireshark plugin where
# MSNP_PLUGIN_INSTALL says (dissector/CMakeLists.txt). A package takes the
# plugin only in the `prefix` mode, which puts it under Wireshark's own plugin
# folder of the prefix (/usr/lib/<triplet>/wireshark/plugins/<x.y>/epan); the
# `user` and `system` modes write outside the prefix and are left out of it.
# .ci/deb-check builds, installs and checks the package.

include(GNUInstallDirs)

# ---- man page and documentation -------------------------------------------

set(MSNP_MANPAGE ${PROJECT_SOURCE_DIR}/docs/msnpdump.1)
find_program(MSNP_GZIP gzip)
if(MSNP_GZIP)
  # Compressed, as Debian installs man pages (-n: the same bytes every build).
  add_custom_command(OUTPUT ${PROJECT_BINARY_DIR}/msnpdump.1.gz
                     COMMAND ${MSNP_GZIP} -9n -c ${MSNP_MANPAGE} > ${PROJECT_BINARY_DIR}/msnpdump.1.gz
                     DEPENDS ${MSNP_MANPAGE}
                     COMMENT "Compressing the man page msnpdump(1)")
  add_custom_target(msnp_manpage ALL DEPENDS ${PROJECT_BINARY_DIR}/msnpdump.1.gz)
  install(FILES ${PROJECT_BINARY_DIR}/msnpdump.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
else()
  install(FILES ${MSNP_MANPAGE} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
endif()

file(GLOB MSNP_DOCS ${PROJECT_SOURCE_DIR}/docs/*.md)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${MSNP_DOCS}
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
if(EXISTS ${PROJECT_SOURCE_DIR}/docs/images)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/images DESTINATION ${CMAKE_INSTALL_DOCDIR})
endif()

# ---- the Debian package ----------------------------------------------------

set(MSNP_PACKAGE_MAINTAINER
    "msnp maintainers <maintainers@users.noreply.r-seed-93d1e9cd.example>"
    CACHE STRING "Maintainer field of the Debian package: Name <e-mail>")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME msnp)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "msnp")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "MSN Messenger (MSNP8) protocol analyzer: msnpdump and a Wireshark plugin")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "${CPACK_PACKAGE_DESCRIPTION_SUMMARY}
msnpdump decodes MSN Messenger traffic (MSNP8, the protocol of MSN
Messenger 5) from pcap and pcapng captures: every command of every
notification-server, switchboard and MSNFTP connection, reassembled from
TCP, with its meaning; conversations, logins and file transfers linked
across connections; text, JSON Lines or tshark-style fields, and a
Zeek-style log set.
.
The Wireshark plugin msnp decodes the same traffic in Wireshark and tshark
with the same field names (msnp.cmd, msnp.trid, msnp.user, ...).")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${MSNP_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
# Depends from the ELF files' libraries (dpkg-shlibdeps): libc, libpcap, zlib,
# and for the plugin libwireshark, libwsutil and glib.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)

if(TARGET msnp_plugin AND MSNP_PLUGIN_INSTALL STREQUAL "prefix")
  # The plugin loads only into the Wireshark major.minor it was built for:
  # besides the shared-library dependency dpkg-shlibdeps finds, bound the
  # version of the package that holds libwireshark (Debian 12: libwireshark16
  # 4.0.x) to that major.minor.
  get_target_property(_msnp_plugin_dir msnp_plugin LIBRARY_OUTPUT_DIRECTORY)
  string(REGEX MATCH "plugins/([0-9]+)\\.([0-9]+)/epan$" _msnp_abi "${_msnp_plugin_dir}")
  set(_msnp_major ${CMAKE_MATCH_1})
  set(_msnp_minor ${CMAKE_MATCH_2})
  find_library(MSNP_LIBWIRESHARK NAMES wireshark)
  find_program(MSNP_DPKG_QUERY dpkg-query)
  set(_msnp_libpkg "")
  if(MSNP_LIBWIRESHARK AND MSNP_DPKG_QUERY AND _msnp_abi)
    get_filename_component(_msnp_lib "${MSNP_LIBWIRESHARK}" REALPATH)
    execute_process(COMMAND ${MSNP_DPKG_QUERY} -S "${_msnp_lib}"
                    OUTPUT_VARIABLE _msnp_owner RESULT_VARIABLE _msnp_rc ERROR_QUIET
                    OUTPUT_STRIP_TRAILING_WHITESPACE)
    if(_msnp_rc EQUAL 0 AND _msnp_owner MATCHES "^([a-z0-9.+-]+)(:[a-z0-9]+)?: ")
      set(_msnp_libpkg ${CMAKE_MATCH_1})
    endif()
  endif()
  if(_msnp_libpkg)
    math(EXPR _msnp_next "${_msnp_minor} + 1")
    set(CPACK_DEBIAN_PACKAGE_DEPENDS
        "${_msnp_libpkg} (>= ${_msnp_major}.${_msnp_minor}), ${_msnp_libpkg} (<< ${_msnp_major}.${_msnp_next}~)")
    message(STATUS "msnp package: the plugin for Wireshark ${_msnp_major}.${_msnp_minor} "
                   "(depends on ${_msnp_libpkg} ${_msnp_major}.${_msnp_minor}.x)")
  else()
    message(WARNING "msnp package: the package holding libwireshark was not found "
                    "(dpkg-query -S); the package's Depends will not bound the Wireshark version")
  endif()
  set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "wireshark | tshark")
elseif(TARGET msnp_plugin)
  # Package what the prefix holds: everything but the plugin.
  set(CPACK_INSTALL_CMAKE_PROJECTS "${PROJECT_BINARY_DIR};${PROJECT_NAME};Unspecified;/")
  message(STATUS "msnp package: without the Wireshark plugin (MSNP_PLUGIN_INSTALL is "
                 "'${MSNP_PLUGIN_INSTALL}'; configure with -DMSNP_PLUGIN_INSTALL=prefix to include it)")
endif()

include(CPack)
