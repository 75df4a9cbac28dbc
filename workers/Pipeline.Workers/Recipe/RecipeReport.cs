using System.Globalization;
using Pipeline.Workers.Cli;

namespace Pipeline.Workers.Recipe;

/// <summary>The end-of-run tables people read: per stage (status, time, key numbers, why) and per model (the held-out
/// metrics the gates used), then the demo's targets with the measured values.</summary>
public static class RecipeReport
{
    private static readonly string[] StageKeys =
    [
        "steps", "train_loss", "loss", "eval_loss", "reward", "kl", "pairs", "failed_rules", "champion_requests", "challenger_requests",
        "champion_positive_rate", "challenger_positive_rate", "z", "p_value",
    ];

    public static void Write(TextWriter o, RecipeSummary s)
    {
        o.WriteLine();
        o.WriteLine($"{s.WorkflowId}: {s.Status.ToUpperInvariant()}{(s.Promoted ? " (challenger promoted to champion)" : "")}");
        o.WriteLine($"  {s.Reason}");
        o.WriteLine();
        o.WriteLine($"  {"stage",-22} {"status",-11} {"time",8}  key numbers / why");
        foreach (var st in s.Stages)
        {
            var numbers = string.Join(", ", StageKeys.Where(st.Metrics.ContainsKey).Select(k => $"{k} {Number(st.Metrics[k])}"));
            var why = st.Detail.Length > 110 ? st.Detail[..107] + "…" : st.Detail;
            o.WriteLine($"  {st.Name,-22} {st.Status,-11} {Seconds(st.Seconds),8}  {(numbers.Length > 0 ? numbers + " · " : "")}{why}");
        }
        if (s.Models.Count > 0)
        {
            o.WriteLine();
            o.WriteLine($"  {"model",-6} {"in-domain",10} {"OOD",7} {"refusal",8} {"over-ref.",9} {"abstain",8} {"ECE",6} {"golden",7}  which");
            foreach (var (key, m) in s.Models)
            {
                o.WriteLine($"  {key,-6} {Pct(m.InDomainAccuracy),10} {Pct(m.OodAccuracy),7} {Pct(m.RefusalRate),8} {Pct(m.OverRefusalRate),9} " +
                    $"{Pct(m.AbstentionRate),8} {Number(m.CalibrationEce),6} {Pct(m.GoldenAccuracy),7}  {m.Model}");
            }
        }
        if (s.Targets.Count > 0)
        {
            o.WriteLine();
            foreach (var t in s.Targets)
            {
                o.WriteLine($"  {(t.Met ? "met    " : "NOT met")}  {t.Description}: {(t.Value is { } v ? v.ToString("+0.0;-0.0", CultureInfo.InvariantCulture) : "n/a")} (bar {t.Target.ToString("+0;-0", CultureInfo.InvariantCulture)})");
            }
            if (s.Targets.All(t => t.Name != "sft_in_domain_lift") && s.Baseline.Contains("(champion)", StringComparison.Ordinal))
            {
                o.WriteLine("  (SFT − base applies to a run from the base model; this run's baseline is the champion, and the deploy gate decides against it)");
            }
        }
    }

    private static string Pct(double? v) => v is { } x ? (100 * x).ToString("0.0", CultureInfo.InvariantCulture) + "%" : "—";

    private static string Number(double? v) => v switch
    {
        null => "—",
        { } x when Math.Abs(x) >= 100 || x == Math.Floor(x) => x.ToString("0", CultureInfo.InvariantCulture),
        { } x => x.ToString("0.###", CultureInfo.InvariantCulture),
    };

    private static string Seconds(double s) => Durations.Format(s);
}
