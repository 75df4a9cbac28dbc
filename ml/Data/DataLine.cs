using Pipeline.ML.IO;

namespace Pipeline.ML.Data;

/// <summary>Where a dataset record came from, so every error can say "FILE:LINE: field '…': …".</summary>
internal readonly record struct DataLine(string Source, int Number)
{
    public DataFormatException Error(string message) => new($"{Source}:{Number}: {message}");

    public DataFormatException FieldError(string field, string message) =>
        new($"{Source}:{Number}: field '{field}': {message}");
}
