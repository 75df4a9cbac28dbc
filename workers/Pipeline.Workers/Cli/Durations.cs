using System.Globalization;

namespace Pipeline.Workers.Cli;

/// <summary>
/// The one spelling of a duration on the console and in reports: "4m07s", "1h02m". Minutes are always
/// shown under an hour, so a column of durations lines up ("0m45s" above "12m03s").
/// </summary>
public static class Durations
{
    public static string Format(TimeSpan t) => t.TotalHours >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours}h{t.Minutes:00}m")
        : string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalMinutes}m{t.Seconds:00}s");

    public static string Format(double seconds) => Format(TimeSpan.FromSeconds(seconds));
}
