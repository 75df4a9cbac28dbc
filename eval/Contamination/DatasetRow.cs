namespace Pipeline.Eval.Contamination;

/// <summary>One row of a dataset file as the contamination check sees it: where it is, its id, and the texts checked
/// (each string field or message content on its own, so a short question is compared whole, not glued to its answer).</summary>
internal sealed record DatasetRow(int Line, string Id, IReadOnlyList<string> Texts);
