# Included by tests/CMakeLists.txt. Builds each fuzz harness (tests/fuzz/fuzz_<target>.cpp)
# with replay_main.cpp instead of libFuzzer, with the normal compiler, and registers the ctest
# test fuzz_replay_<target>: every seed (corpus/<target>/) and every saved crash input
# (regressions/<target>/) must go through the parser without a crash, an unexpected exception
# or a broken invariant. Under GENODOSE_SANITIZE these run with ASan/UBSan too. With
# GENODOSE_FUZZ=ON, tests/fuzz/CMakeLists.txt builds the libFuzzer programs instead.
if(NOT GENODOSE_FUZZ)
  include(${CMAKE_CURRENT_LIST_DIR}/targets.cmake)
  foreach(target ${GENODOSE_FUZZ_TARGETS})
    add_executable(fuzz_replay_${target} ${CMAKE_CURRENT_LIST_DIR}/fuzz_${target}.cpp
                                         ${CMAKE_CURRENT_LIST_DIR}/replay_main.cpp)
    target_link_libraries(fuzz_replay_${target} PRIVATE ${GENODOSE_FUZZ_LIB_${target}})
    target_compile_options(fuzz_replay_${target} PRIVATE ${GENODOSE_WARNINGS})
    target_compile_definitions(fuzz_replay_${target} PRIVATE GENODOSE_FUZZ_EXAMPLE_REPORT="${GENODOSE_FUZZ_EXAMPLE_REPORT}")
    add_test(NAME fuzz_replay_${target}
             COMMAND fuzz_replay_${target} ${CMAKE_CURRENT_LIST_DIR}/corpus/${target}
                     ${CMAKE_CURRENT_LIST_DIR}/regressions/${target})
  endforeach()
endif()
