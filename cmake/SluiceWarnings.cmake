# Warning set shared by every Sluice target; CI turns them into errors (SLUICE_WERROR).
add_library(sluice_warnings INTERFACE)
target_compile_options(sluice_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion
  -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Woverloaded-virtual
  -Wdouble-promotion -Wformat=2 -Werror=switch -Wimplicit-fallthrough)
if(SLUICE_WERROR)
  target_compile_options(sluice_warnings INTERFACE -Werror)
endif()
# g++ 12 reports Asio's coroutine frames (allocated and freed by awaitable_frame_base's own operator new and
# delete) as mismatched new/delete when it inlines them: a false positive (GCC PR 104582 family).
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  target_compile_options(sluice_warnings INTERFACE -Wno-mismatched-new-delete)
endif()
