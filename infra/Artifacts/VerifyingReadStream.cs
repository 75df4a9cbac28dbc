using System.Security.Cryptography;

namespace Pipeline.Infra.Artifacts;

/// <summary>
/// Hashes what passes through it and, at end of stream, compares the sha256 and length with the expected ones.
/// Verification on the way through keeps multi-gigabyte checkpoints out of memory and avoids reading them twice.
/// </summary>
internal sealed class VerifyingReadStream(Stream inner, string digest, long expectedSize, IDisposable? owner = null) : Stream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _read;
    private bool _verified;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => expectedSize;
    public override long Position { get => _read; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer) => Account(buffer, inner.Read(buffer));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
        ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        var n = await inner.ReadAsync(buffer, ct);
        return Account(buffer.Span, n);
    }

    private int Account(ReadOnlySpan<byte> buffer, int n)
    {
        if (n > 0)
        {
            _hash.AppendData(buffer[..n]);
            _read += n;
        }
        else if (buffer.Length > 0 && !_verified)
        {
            _verified = true;
            var found = ArtifactDigest.Prefix + Convert.ToHexStringLower(_hash.GetHashAndReset());
            if (found != digest)
            {
                throw new ArtifactCorruptException(digest, $"{found} ({_read} bytes, expected {expectedSize})");
            }
        }
        return n;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            owner?.Dispose();
            _hash.Dispose();
        }
        base.Dispose(disposing);
    }
}
