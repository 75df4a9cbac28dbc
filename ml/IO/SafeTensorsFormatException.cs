namespace Pipeline.ML.IO;

/// <summary>A safetensors file is malformed, or does not hold what the caller asked for. The message names the file
/// (or "&lt;memory&gt;"), the tensor or field, and what was expected against what was found.</summary>
public sealed class SafeTensorsFormatException : Exception
{
    public SafeTensorsFormatException(string message)
        : base(message)
    {
    }

    public SafeTensorsFormatException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
