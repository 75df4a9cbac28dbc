using Pipeline.ML.Data;

namespace Pipeline.ML.Training;

/// <summary>SFT examples as training rows: packed (TRL's packing=True, BFD, positions restart per example) or one per row, padded.</summary>
public static class SftRows
{
    public static IReadOnlyList<TrainingRow> Build(IReadOnlyList<TokenizedExample> examples, int seqLen, int padId, bool packing)
    {
        var rows = packing ? SequencePacker.Pack(examples, seqLen, padId) : SequencePacker.Pad(examples, seqLen, padId);
        return rows.Select(r => new TrainingRow(r.InputIds, r.Labels, r.PositionIds)).ToList();
    }
}
