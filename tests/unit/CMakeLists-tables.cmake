# The semantic tables (libmsnp/command_table.c, errors.c, values.c): their own
# consistency, the reference's command and error lists, every form's example
# line through the real framer and parser, and docs/commands.md generated from
# them. Included from tests/CMakeLists.txt.
add_executable(test_tables ${CMAKE_CURRENT_LIST_DIR}/test_tables.c)
target_link_libraries(test_tables PRIVATE msnp)
add_test(NAME unit.tables COMMAND test_tables)

# docs/commands.md is generated: regenerate with
#   <build>/tests/gen_commands_doc > docs/commands.md
add_executable(gen_commands_doc ${CMAKE_CURRENT_LIST_DIR}/gen_commands_doc.c)
target_link_libraries(gen_commands_doc PRIVATE msnp)
add_test(NAME unit.commands_doc
         COMMAND gen_commands_doc --check ${PROJECT_SOURCE_DIR}/docs/commands.md)
