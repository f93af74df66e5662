package dev.ajr.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SlurmExitCodeTest {

  static Integer exitCode(String json) throws Exception {
    return SlurmExitCode.of(new ObjectMapper().readTree(json.replace('\'', '"')));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      nullValues = "unknown",
      value = {
        // a wait status: 22.05 and 23.02.0-23.02.3 plain, later 23.02 wrapped
        "0 | 0",
        "768 | 3",
        "15 | 143",
        "139 | 139", // SIGSEGV with a core dump: 11 | 0x80
        "{'set': true, 'infinite': false, 'number': 256} | 1",
        "{'set': true, 'infinite': false, 'number': 9} | 137",
        "{'set': false, 'infinite': false, 'number': 0} | unknown",
        "null | unknown",
        // data_parser 0.0.40 and later: status, return code, signal
        "{'status': ['SUCCESS'], 'return_code': {'set': true, 'infinite': false, 'number': 0},"
            + " 'signal': {'id': {'set': false, 'infinite': false, 'number': 0}, 'name': ''}} | 0",
        "{'status': ['ERROR'], 'return_code': {'set': true, 'infinite': false, 'number': 3},"
            + " 'signal': {'id': {'set': false, 'infinite': false, 'number': 0}, 'name': ''}} | 3",
        "{'status': ['SIGNALED'], 'return_code': {'set': false, 'infinite': false, 'number': 0},"
            + " 'signal': {'id': {'set': true, 'infinite': false, 'number': 11}, 'name': 'SEGV'}}"
            + " | 139",
        // the signal wins over a return code that is set as well
        "{'status': ['SIGNALED'], 'return_code': {'set': true, 'infinite': false, 'number': 0},"
            + " 'signal': {'id': {'set': true, 'infinite': false, 'number': 9}, 'name': 'KILL'}}"
            + " | 137",
        "{'status': ['SIGNALED'], 'return_code': {'set': true, 'infinite': false, 'number': 0},"
            + " 'signal': {'id': {'set': false, 'infinite': false, 'number': 0}, 'name': ''}}"
            + " | unknown",
        "{'status': ['CORE_DUMPED'], 'return_code': {'set': false, 'infinite': false, 'number':"
            + " 0}, 'signal': {'id': {'set': false, 'infinite': false, 'number': 0}, 'name': ''}}"
            + " | unknown",
        "{'status': ['PENDING'], 'return_code': {'set': false, 'infinite': false, 'number': 0},"
            + " 'signal': {'id': {'set': false, 'infinite': false, 'number': 0}, 'name': ''}}"
            + " | unknown",
        "{'status': ['INVALID'], 'return_code': {'set': true, 'infinite': false, 'number': 4991},"
            + " 'signal': {'id': {'set': false, 'infinite': false, 'number': 0}, 'name': ''}}"
            + " | unknown",
      })
  void readsEveryShape(String json, Integer expected) throws Exception {
    assertThat(exitCode(json)).isEqualTo(expected);
  }
}
