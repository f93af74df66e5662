package dev.ajr.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScontrolShowJobTest {

  /**
   * The shape of {@code scontrol show job -o 2} on Slurm 22.05.8: the comment holds spaces and is
   * followed by two spaces.
   */
  static final String LINE =
      "JobId=2 JobName=run-job UserId=root(0) GroupId=root(0) MCS_label=N/A Priority=4294901749"
          + " Nice=0 Account=(null) QOS=normal JobState=RUNNING Reason=None Dependency=(null)"
          + " Requeue=1 Restarts=0 BatchFlag=1 Reboot=0 ExitCode=0:0 RunTime=00:00:10"
          + " TimeLimit=00:05:00 TimeMin=N/A SubmitTime=2026-11-27T12:33:01"
          + " EligibleTime=2026-11-27T12:33:01 AccrueTime=Unknown StartTime=2026-11-27T12:33:02"
          + " EndTime=2026-11-27T12:38:02 Deadline=N/A Partition=debug AllocNode:Sid=ctl:123"
          + " ReqNodeList=(null) ExcNodeList=(null) NodeList=node1 BatchHost=node1 NumNodes=1"
          + " NumCPUs=1 NumTasks=1 CPUs/Task=1 ReqB:S:C:T=0:0:*:* TRES=cpu=1,node=1,billing=1"
          + " Socks/Node=* NtasksPerN:B:S:C=0:0:*:* CoreSpec=* MinCPUsNode=1 MinMemoryNode=0"
          + " MinTmpDiskNode=0 Features=(null) DelayBoot=00:00:00 OverSubscribe=OK Contiguous=0"
          + " Licenses=(null) Network=(null) Command=(null) WorkDir=/x"
          + " Comment={\"APS\": {\"auto_resume_mode\": \"requeue\", \"max_requeue_times\": 1}} "
          + " StdErr=/x/slurm-2.out StdIn=/dev/null StdOut=/x/slurm-2.out Power= ";

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
    "StdOut, /x/slurm-2.out",
    "StdErr, /x/slurm-2.out",
    "StdIn, /dev/null",
    "WorkDir, /x",
    "JobId, 2",
    "JobState, RUNNING",
    "Restarts, 0",
    "NodeList, node1",
    "BatchHost, node1",
  })
  void readsField(String key, String value) {
    assertThat(ScontrolShowJob.field(LINE, key)).contains(value);
  }

  @Test
  void readsCommentWithItsSpaces() {
    assertThat(ScontrolShowJob.field(LINE, "Comment"))
        .contains("{\"APS\": {\"auto_resume_mode\": \"requeue\", \"max_requeue_times\": 1}}");
  }

  @Test
  void treatsNullAndEmptyValuesAsAbsent() {
    assertThat(ScontrolShowJob.field(LINE, "ExcNodeList")).isEmpty();
    assertThat(ScontrolShowJob.field(LINE, "Power")).isEmpty();
    assertThat(ScontrolShowJob.field(LINE, "MailUser")).isEmpty();
  }

  @Test
  void doesNotMistakeKeySuffixForKey() {
    // "Node" only occurs inside NodeList=, BatchHost= etc.; there is no field of that name.
    assertThat(ScontrolShowJob.field(LINE, "Node")).isEmpty();
    assertThat(ScontrolShowJob.field(LINE, "Out")).isEmpty();
  }

  @Test
  void readsPathWithSpaces() {
    String line = "WorkDir=/x Comment=  StdErr=/x/my run/err.log StdIn=/dev/null StdOut=/x/a b.out";

    assertThat(ScontrolShowJob.field(line, "StdErr")).contains("/x/my run/err.log");
    assertThat(ScontrolShowJob.field(line, "StdOut")).contains("/x/a b.out");
  }

  @Test
  void ignoresFieldsWrittenInsideTheComment() {
    // The comment is the job owner's text: it must not redirect ajr to another file.
    String line =
        "JobId=9 JobState=RUNNING WorkDir=/x Comment=note StdOut=/etc/shadow  StdErr=/evil"
            + " WorkDir=/etc  StdErr=/x/slurm-9.err StdIn=/dev/null StdOut=/x/slurm-9.out Power= ";

    assertThat(ScontrolShowJob.field(line, "StdOut")).contains("/x/slurm-9.out");
    assertThat(ScontrolShowJob.field(line, "StdErr")).contains("/x/slurm-9.err");
    assertThat(ScontrolShowJob.field(line, "WorkDir")).contains("/x");
    assertThat(ScontrolShowJob.field(line, "Comment"))
        .contains("note StdOut=/etc/shadow  StdErr=/evil WorkDir=/etc");
  }

  @Test
  void readsFieldsOfLineWithEmptyComment() {
    String line = "JobId=9 WorkDir=/x Comment=  StdErr=/x/e StdIn=/dev/null StdOut=/x/o Power= ";

    assertThat(ScontrolShowJob.field(line, "Comment")).isEmpty();
    assertThat(ScontrolShowJob.field(line, "StdOut")).contains("/x/o");
    assertThat(ScontrolShowJob.field(line, "StdErr")).contains("/x/e");
  }
}
