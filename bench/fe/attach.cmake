# Attaches bench/fe to a wlpkit build without editing the top-level CMakeLists:
#   cmake -S <repo> -B <build> -DCMAKE_PROJECT_wlpkit_INCLUDE=<repo>/bench/fe/attach.cmake
# It runs right after project(wlpkit); the targets bench/fe links are resolved later.
add_subdirectory(${CMAKE_CURRENT_LIST_DIR} ${CMAKE_BINARY_DIR}/bench/fe-attached)
