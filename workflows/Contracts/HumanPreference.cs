namespace Pipeline.Workflows.Contracts;

/// <summary>A preference a person gave: for <paramref name="Prompt"/>, <paramref name="Chosen"/> is better than
/// <paramref name="Rejected"/>. Sent to a running recipe with the <c>AddHumanPreferences</c> signal.</summary>
public sealed record HumanPreference(string Prompt, string Chosen, string Rejected, string Labeler);
