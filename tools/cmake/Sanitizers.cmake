# -DPROSE2STIX_SANITIZE=ON builds everything with ASan + UBSan, failing hard on the first report.
if(PROSE2STIX_SANITIZE)
  set(_san -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_compile_options(${_san})
  add_link_options(${_san})
endif()
