package dev.ajr.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GpuCountTest {

  @ParameterizedTest(name = "alloc={0} req={1} -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "cpu=8,mem=80G,node=1,billing=8,gres/gpu=8 | | 8",
        "cpu=8,node=1,gres/gpu:a100=4 | | 4",
        "cpu=8,gres/gpu=8,gres/gpu:h100=8 | | 8",
        " | cpu=16,node=2,gres/gpu=16 | 16",
        "cpu=1,node=1,billing=1 | | 0",
        " | | 0",
      })
  void countsTheJobsGpusFromItsTres(String alloc, String req, int gpus) throws Exception {
    var json =
        new ObjectMapper()
            .createObjectNode()
            .put("tres_alloc_str", alloc == null ? "" : alloc)
            .put("tres_req_str", req == null ? "" : req);

    assertThat(SqueueJsonParser.gpus(json)).isEqualTo(gpus);
  }
}
