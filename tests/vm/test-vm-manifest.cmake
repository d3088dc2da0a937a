# Checks vm-manifest.cmake on a fixed ctest listing: a normal test, one whose
# environment holds spaces, and one whose executable was not built.
#   cmake -DMANIFEST=vm-manifest.cmake -DWORK=dir -P test-vm-manifest.cmake
set(json [=[{"kind":"ctestInfo","version":{"major":1,"minor":0},"tests":[
 {"name":"a.one","command":["/b/t/a","test_one"],"properties":[
   {"name":"ENVIRONMENT","value":["X=1","Y=two words"]},
   {"name":"LABELS","value":["vm"]},{"name":"TIMEOUT","value":60},
   {"name":"WORKING_DIRECTORY","value":"/b/t"}]},
 {"name":"b.unbuilt","properties":[{"name":"LABELS","value":["vm"]}]}
]}]=])
file(WRITE "${WORK}/vm-manifest-in.json" "${json}")
execute_process(COMMAND ${CMAKE_COMMAND} -DIN=${WORK}/vm-manifest-in.json
                        -DOUT=${WORK}/vm-manifest-out.list -P ${MANIFEST}
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "vm-manifest.cmake failed: ${rc}")
endif()
file(READ "${WORK}/vm-manifest-out.list" got)
set(want "a.one\t60\t/b/t\t2\tX=1\tY=two words\t/b/t/a\ttest_one\n")
string(APPEND want "b.unbuilt\t120\t/\t0\t/bin/sh\t-c\techo 'the test executable was not built'; exit 1\n")
if(NOT got STREQUAL want)
  message(FATAL_ERROR "manifest differs:\n--- got\n${got}--- want\n${want}")
endif()
message(STATUS "vm manifest: as expected")
