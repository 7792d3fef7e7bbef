# The project's warning list, applied PRIVATE to its own targets only.
set(PROSE2STIX_WARNING_FLAGS
  -Wall -Wextra -Wpedantic -Wconversion -Wshadow -Wold-style-cast -Wundef -Wcast-qual -Wformat=2)

function(prose2stix_warnings target)
  target_compile_options(${target} PRIVATE $<$<COMPILE_LANGUAGE:CXX>:${PROSE2STIX_WARNING_FLAGS}>)
  if(PROSE2STIX_WERROR)
    target_compile_options(${target} PRIVATE $<$<COMPILE_LANGUAGE:CXX>:-Werror>)
  endif()
endfunction()
