using Pipeline.Infra.Logging;
using Serilog.Events;
using Serilog.Parsing;

namespace Pipeline.Infra.Tests.Logging;

public sealed class ClefFormatterTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 22, 15, 4, 5, 123, TimeSpan.FromHours(2));

    private static string Format(LogEvent logEvent, bool includeEventId = false)
    {
        var output = new StringWriter();
        new ClefFormatter(includeEventId).Format(logEvent, output);
        return output.ToString();
    }

    private static LogEvent Event(string template, LogEventLevel level = LogEventLevel.Information,
        Exception? exception = null, params LogEventProperty[] properties) =>
        new(At, level, exception, new MessageTemplateParser().Parse(template), properties);

    [Fact]
    public void Format_InformationWithScalar_OmitsLevelAndWritesUtcTimestamp()
    {
        var line = Format(Event("Step {Step} done", properties: new LogEventProperty("Step", new ScalarValue(42))));
        Assert.Equal("{\"@t\":\"2026-11-22T13:04:05.1230000Z\",\"@mt\":\"Step {Step} done\",\"Step\":42}" + Environment.NewLine, line);
    }

    [Fact]
    public void Format_WarningWithException_WritesLevelAndException()
    {
        var line = Format(Event("Boom", LogEventLevel.Warning, new InvalidOperationException("bad")));
        Assert.Equal("{\"@t\":\"2026-11-22T13:04:05.1230000Z\",\"@mt\":\"Boom\",\"@l\":\"Warning\",\"@x\":\"System.InvalidOperationException: bad\"}" + Environment.NewLine, line);
    }

    [Fact]
    public void Format_TokenWithFormatString_WritesRenderingsInTemplateOrder()
    {
        var line = Format(Event("Loss {Loss:0.00} at {Step} lr {Lr:E1}", properties: [
            new LogEventProperty("Loss", new ScalarValue(0.12345)),
            new LogEventProperty("Step", new ScalarValue(7)),
            new LogEventProperty("Lr", new ScalarValue(0.0002))]));
        Assert.Equal("{\"@t\":\"2026-11-22T13:04:05.1230000Z\",\"@mt\":\"Loss {Loss:0.00} at {Step} lr {Lr:E1}\",\"@r\":[\"0.12\",\"2.0E-004\"],\"Loss\":0.12345,\"Step\":7,\"Lr\":0.0002}" + Environment.NewLine, line);
    }

    [Fact]
    public void Format_PropertyNamedWithAt_DoublesTheAt()
    {
        var line = Format(Event("x", properties: new LogEventProperty("@mt", new ScalarValue("not a template"))));
        Assert.Equal("{\"@t\":\"2026-11-22T13:04:05.1230000Z\",\"@mt\":\"x\",\"@@mt\":\"not a template\"}" + Environment.NewLine, line);
    }

    [Fact]
    public void Format_StructuredValues_WritesArraysObjectsAndTypeTags()
    {
        var sequence = new SequenceValue([new ScalarValue(1), new ScalarValue("two"), new ScalarValue(null)]);
        var structure = new StructureValue([
            new LogEventProperty("Rank", new ScalarValue(8)),
            new LogEventProperty("Alpha", new ScalarValue(16.5))], "LoraConfig");
        var untyped = new StructureValue([new LogEventProperty("Ok", new ScalarValue(true))]);
        var dictionary = new DictionaryValue([
            new KeyValuePair<ScalarValue, LogEventPropertyValue>(new ScalarValue("acc"), new ScalarValue(0.5m)),
            new KeyValuePair<ScalarValue, LogEventPropertyValue>(new ScalarValue(3), new ScalarValue("x"))]);
        var line = Format(Event("s", properties: [
            new LogEventProperty("Seq", sequence),
            new LogEventProperty("Cfg", structure),
            new LogEventProperty("Flags", untyped),
            new LogEventProperty("Metrics", dictionary)]));
        Assert.Equal("{\"@t\":\"2026-11-22T13:04:05.1230000Z\",\"@mt\":\"s\"," +
            "\"Seq\":[1,\"two\",null]," +
            "\"Cfg\":{\"$type\":\"LoraConfig\",\"Rank\":8,\"Alpha\":16.5}," +
            "\"Flags\":{\"Ok\":true}," +
            "\"Metrics\":{\"acc\":0.5,\"3\":\"x\"}}" + Environment.NewLine, line);
    }

    [Fact]
    public void Format_StringsNeedingEscapes_AreValidJson()
    {
        var line = Format(Event("Path \"{P}\"", properties: new LogEventProperty("P", new ScalarValue("a\\b\n\u0001"))));
        Assert.Equal("{\"@t\":\"2026-11-22T13:04:05.1230000Z\",\"@mt\":\"Path \\\"{P}\\\"\",\"P\":\"a\\\\b\\n\\u0001\"}" + Environment.NewLine, line);
    }

    [Fact]
    public void Format_NonFiniteDoubleAndDate_WritesStrings()
    {
        var line = Format(Event("n", properties: [
            new LogEventProperty("Nan", new ScalarValue(double.NaN)),
            new LogEventProperty("When", new ScalarValue(new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc)))]));
        Assert.Equal("{\"@t\":\"2026-11-22T13:04:05.1230000Z\",\"@mt\":\"n\",\"Nan\":\"NaN\",\"When\":\"2026-01-02T03:04:05.0000000Z\"}" + Environment.NewLine, line);
    }

    [Fact]
    public void Format_IncludeEventId_WritesStableHexIdOfTheTemplate()
    {
        var a = Format(Event("Same {X}", properties: new LogEventProperty("X", new ScalarValue(1))), includeEventId: true);
        var b = Format(Event("Same {X}", properties: new LogEventProperty("X", new ScalarValue(2))), includeEventId: true);
        // FNV-1a 32 of "a" is the published test vector 0xe40c292c.
        Assert.Equal(0xe40c292cu, ClefFormatter.EventId("a"));
        Assert.Contains($"\"@i\":\"{ClefFormatter.EventId("Same {X}"):x8}\"", a);
        Assert.Equal(a.Replace("1}", ""), b.Replace("2}", ""));
    }
}
