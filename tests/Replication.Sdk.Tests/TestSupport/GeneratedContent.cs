using System.Net;
using System.Text;

namespace Replication.Sdk.Tests.TestSupport;

/// <summary>
/// A large body produced as it is read (nothing held in memory), counting how much of it the client asked for:
/// the prefix, then the repeated part until about the total size, then the suffix.
/// </summary>
internal sealed class GeneratedContent : HttpContent
{
    private readonly GeneratedStream _stream;
    private readonly bool _announceLength;

    public GeneratedContent(string prefix, string repeat, string suffix, long totalBytes, bool announceLength)
    {
        _stream = new GeneratedStream(Encoding.UTF8.GetBytes(prefix), Encoding.UTF8.GetBytes(repeat), Encoding.UTF8.GetBytes(suffix), totalBytes);
        _announceLength = announceLength;
    }

    /// <summary>Gets how many bytes the reader has taken so far.</summary>
    public long Produced => _stream.Position;

    protected override Task<Stream> CreateContentReadStreamAsync() => Task.FromResult<Stream>(_stream);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => _stream.CopyToAsync(stream);

    protected override bool TryComputeLength(out long length)
    {
        length = _stream.Length;
        return _announceLength;
    }

    private sealed class GeneratedStream(byte[] prefix, byte[] repeat, byte[] suffix, long totalBytes) : Stream
    {
        private readonly long _repeatEnd = prefix.Length + (Math.Max(0, (totalBytes - prefix.Length - suffix.Length) / repeat.Length) * repeat.Length);
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => _repeatEnd + suffix.Length;

        public override long Position { get => Interlocked.Read(ref _position); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var written = 0;
            while (written < count && _position < Length)
            {
                buffer[offset + written++] = _position < prefix.Length ? prefix[_position]
                    : _position < _repeatEnd ? repeat[(_position - prefix.Length) % repeat.Length]
                    : suffix[_position - _repeatEnd];
                Interlocked.Increment(ref _position);
            }

            return written;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
