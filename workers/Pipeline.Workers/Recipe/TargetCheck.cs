namespace Pipeline.Workers.Recipe;

/// <summary>One of the demo's acceptance targets measured on this run: the value, the bar, whether it is met.</summary>
public sealed record TargetCheck(string Name, string Description, double? Value, double Target, bool Met);
