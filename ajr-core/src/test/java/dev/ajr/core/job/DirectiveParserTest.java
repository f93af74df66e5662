package dev.ajr.core.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class DirectiveParserTest {

  private final DirectiveParser parser = new DirectiveParser();

  static Stream<Arguments> validComments() {
    return Stream.of(
        Arguments.of(
            "{\"APS\": {\"auto_resume_mode\": \"requeue\", \"max_requeue_times\": 1}}",
            AutoResumeMode.REQUEUE,
            OptionalInt.of(1)),
        Arguments.of(
            "{\"APS\": {\"auto_resume_mode\": \"singleton_dependency\", \"max_requeue_times\": 3}}",
            AutoResumeMode.SINGLETON_DEPENDENCY,
            OptionalInt.of(3)),
        Arguments.of(
            "{\"APS\": {\"auto_resume_mode\": \"requeue\"}}",
            AutoResumeMode.REQUEUE,
            OptionalInt.empty()),
        Arguments.of(
            "  {\"APS\": {\"auto_resume_mode\": \"requeue\", \"max_requeue_times\": 0}}\n",
            AutoResumeMode.REQUEUE,
            OptionalInt.of(0)));
  }

  @ParameterizedTest
  @MethodSource("validComments")
  void readsValidDirective(String comment, AutoResumeMode mode, OptionalInt max) {
    assertThat(parser.parse(comment))
        .isEqualTo(new DirectiveResult.Valid(new Directive(mode, max)));
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(
      strings = {
        "",
        "   ",
        "nightly run of the big model",
        "{\"owner\": \"alice\", \"project\": 42}",
        "[1, 2, 3]",
        "\"just a json string\""
      })
  void treatsCommentWithoutApsAsAbsent(String comment) {
    assertThat(parser.parse(comment)).isInstanceOf(DirectiveResult.Absent.class);
  }

  static Stream<Arguments> invalidComments() {
    return Stream.of(
        Arguments.of("{\"APS\": {\"auto_resume_mode\": \"requeue\"", "not valid JSON"),
        Arguments.of("APS please requeue", "not valid JSON"),
        Arguments.of("{\"APS\": \"requeue\"}", "must be a JSON object"),
        Arguments.of("{\"APS\": [1]}", "must be a JSON object"),
        Arguments.of("{\"aps_note\": \"APS\"}", "no top-level \"APS\" object"),
        Arguments.of("{\"APS\": {\"auto_resume_mode\": \"bogus\"}}", "\"bogus\""),
        Arguments.of("{\"APS\": {\"auto_resume_mode\": \"Requeue\"}}", "\"Requeue\""),
        Arguments.of("{\"APS\": {\"auto_resume_mode\": 1}}", "must be a string"),
        Arguments.of("{\"APS\": {}}", "no \"auto_resume_mode\""),
        Arguments.of(
            "{\"APS\": {\"auto_resume_mode\": \"requeue\", \"max_requeue_times\": \"x\"}}",
            "max_requeue_times"),
        Arguments.of(
            "{\"APS\": {\"auto_resume_mode\": \"requeue\", \"max_requeue_times\": -1}}",
            "max_requeue_times"),
        Arguments.of(
            "{\"APS\": {\"auto_resume_mode\": \"requeue\", \"max_requeue_times\": 1.5}}",
            "max_requeue_times"),
        Arguments.of(
            "{\"APS\": {\"auto_resume_mode\": \"requeue\", \"max_requeue_times\": 99999999999}}",
            "max_requeue_times"),
        Arguments.of(
            "{\"APS\": {\"auto_resume_mode\": \"requeue\", \"max_requeu_times\": 2}}",
            "\"max_requeu_times\""));
  }

  @ParameterizedTest
  @MethodSource("invalidComments")
  void rejectsDirectiveNamingTheProblem(String comment, String problemMentions) {
    DirectiveResult result = parser.parse(comment);

    assertThat(result).isInstanceOf(DirectiveResult.Invalid.class);
    assertThat(((DirectiveResult.Invalid) result).problem()).contains(problemMentions);
  }

  @Test
  void invalidMaxRequeueTimesQuotesTheValueFound() {
    DirectiveResult result =
        parser.parse("{\"APS\": {\"auto_resume_mode\": \"requeue\", \"max_requeue_times\": -1}}");

    assertThat(((DirectiveResult.Invalid) result).problem())
        .contains("whole number from 0")
        .contains("-1");
  }

  @Test
  void hangTimeoutIsAnOptionalKeyOfAjr() {
    String comment = "{\"APS\": {\"auto_resume_mode\": \"requeue\", \"hang_timeout\": 900}}";

    assertThat(parser.parse(comment)).isInstanceOf(DirectiveResult.Valid.class);
    assertThat(parser.hangTimeout(comment)).contains(java.time.Duration.ofMinutes(15));
    assertThat(parser.hangTimeout("{\"APS\": {\"auto_resume_mode\": \"requeue\"}}")).isEmpty();
  }

  @Test
  void aHangTimeoutThatIsNotAPositiveWholeNumberIsInvalid() {
    DirectiveResult result =
        parser.parse("{\"APS\": {\"auto_resume_mode\": \"requeue\", \"hang_timeout\": \"1h\"}}");

    assertThat(result)
        .isInstanceOfSatisfying(
            DirectiveResult.Invalid.class,
            i -> assertThat(i.problem()).contains("hang_timeout", "seconds"));
  }
}
