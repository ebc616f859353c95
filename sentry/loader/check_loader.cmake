# Fails the build if the loader needs run-time relocations or an interpreter.
execute_process(COMMAND ${READELF} -W -r -l ${FILE}
  OUTPUT_VARIABLE out RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${READELF} failed on ${FILE}")
endif()
if(out MATCHES "Relocation section")
  message(FATAL_ERROR "${FILE} has dynamic relocations; the loader cannot apply them:\n${out}")
endif()
if(out MATCHES "INTERP")
  message(FATAL_ERROR "${FILE} asks for an interpreter; it must be static:\n${out}")
endif()
