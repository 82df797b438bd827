//! The playing length of an encoded clip, read from its bytes with `symphonia`.
//!
//! Only the container is demuxed; no audio is decoded. Every packet is walked and its
//! duration summed, because the figures that headers carry can lie: an MP3 without a
//! Xing/Info frame only gives a bitrate estimate (wrong for VBR), and a truncated file
//! still announces its full length. Walking packets costs a few milliseconds per
//! megabyte, and both the input size and the length are capped.
//!
//! The length is the one a gapless decoder (the browsers' `decodeAudioData`) plays:
//! - MP3 with a LAME tag: the frames minus the encoder delay and padding the tag records
//!   (symphonia adds the decoder's 529-sample delay to the delay and takes it off the
//!   padding, so the sum is the encoder's figure). This is the length of the audio the
//!   encoder was given. `ffprobe` reports the untrimmed length here; `ffmpeg` decodes the
//!   trimmed one.
//! - MP3 without a LAME tag: every frame counts (nothing says what to trim).
//! - Ogg (Vorbis, Opus, FLAC): the last page's granule position, less the codec's
//!   pre-skip (Opus) — i.e. the stream's own timestamps, as the Ogg specs define.
//! - WAV and FLAC: every sample frame.
//!
//! A truncated file gives the length of what is there (packets up to the first error),
//! without trimming end padding that was cut off.

use std::io::Cursor;

use symphonia::core::codecs::{self, CodecType};
use symphonia::core::errors::Error as SymphoniaError;
use symphonia::core::formats::{FormatOptions, FormatReader, Track};
use symphonia::core::io::{MediaSourceStream, MediaSourceStreamOptions};
use symphonia::core::meta::MetadataOptions;
use symphonia::core::probe::Hint;
use symphonia::core::units::TimeBase;

use crate::time::{MICROS_PER_SECOND, Micros};

/// The largest clip `clip_length` reads: bigger inputs are refused before any parsing.
pub const MAX_CLIP_BYTES: usize = 64 * 1024 * 1024;

/// The longest clip `clip_length` accepts (one hour). Walking stops as soon as the
/// packets read exceed it, so a hostile file cannot keep the reader busy.
pub const MAX_CLIP_LENGTH: Micros = 3600 * MICROS_PER_SECOND;

/// Why a clip's length could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AudioError {
    pub kind: AudioErrorKind,
    /// A sentence for people, naming the format when it was recognised.
    pub message: String,
}

/// The kinds of [`AudioError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AudioErrorKind {
    /// Zero bytes: usually a failed download.
    Empty,
    /// Not a format this build reads (WAV, MP3, Ogg Vorbis/Opus/FLAC, FLAC), or not audio.
    Unsupported,
    /// Recognised, but damaged before any audio could be read.
    Corrupt,
    /// A container without an audio track, or whose track gives no sample rate.
    NoAudioTrack,
    /// The input is larger than `limit` bytes ([`MAX_CLIP_BYTES`]).
    TooLarge { bytes: usize, limit: usize },
    /// The clip plays for longer than `limit` ([`MAX_CLIP_LENGTH`]).
    TooLong { limit: Micros },
}

impl AudioError {
    fn new(kind: AudioErrorKind, message: impl Into<String>) -> AudioError {
        AudioError {
            kind,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for AudioError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for AudioError {}

/// The playing length of an encoded clip (WAV, MP3, Ogg Vorbis/Opus, FLAC), read from its
/// bytes, to the nearest microsecond. `extension` is a hint such as `"mp3"` (may be empty);
/// the bytes decide.
///
/// ```
/// # use manju::audio::{clip_length, AudioErrorKind};
/// let err = clip_length(b"not audio at all", "mp3").unwrap_err();
/// assert_eq!(err.kind, AudioErrorKind::Unsupported);
/// ```
pub fn clip_length(bytes: &[u8], extension: &str) -> Result<Micros, AudioError> {
    use AudioErrorKind::*;
    if bytes.is_empty() {
        return Err(AudioError::new(Empty, "the audio file is empty"));
    }
    if bytes.len() > MAX_CLIP_BYTES {
        return Err(AudioError::new(
            TooLarge {
                bytes: bytes.len(),
                limit: MAX_CLIP_BYTES,
            },
            format!(
                "the audio file is {} MiB, more than the {} MiB limit",
                bytes.len().div_ceil(1024 * 1024),
                MAX_CLIP_BYTES / (1024 * 1024)
            ),
        ));
    }

    refuse_adpcm_wav(bytes)?;
    let mut format = open(bytes, extension)?;
    let track = audio_track(format.tracks())
        .ok_or_else(|| AudioError::new(NoAudioTrack, "the audio file has no audio track"))?;
    let name = codec_name(track.codec_params.codec);
    let track_id = track.id;
    let params = track.codec_params.clone();
    let time_base = params
        .time_base
        .or_else(|| params.sample_rate.map(|rate| TimeBase::new(1, rate)))
        .filter(|tb| tb.numer > 0 && tb.denom > 0)
        .ok_or_else(|| {
            AudioError::new(
                NoAudioTrack,
                format!("the {name} track gives no sample rate"),
            )
        })?;
    let limit_ts = micros_to_ts_ceil(MAX_CLIP_LENGTH, time_base);
    let frame_bytes = pcm_frame_bytes(&params);

    // Sum the packets' durations (in `time_base` units).
    let mut walked: u64 = 0;
    let mut packets: u64 = 0;
    // Any error ends the walk: the end, a truncated file, a chained Ogg stream, or damage.
    // In every case what was read so far is what plays.
    while let Ok(packet) = format.next_packet() {
        if packet.track_id() != track_id {
            continue;
        }
        let mut dur = packet.dur;
        // A truncated WAV's last packet still claims a full packet's duration.
        if let Some(frame_bytes) = frame_bytes {
            dur = dur.min(packet.data.len() as u64 / frame_bytes);
        }
        walked = walked.saturating_add(dur);
        packets += 1;
        if walked > limit_ts {
            return Err(too_long(name));
        }
    }

    // Headers: trusted as an upper bound, except MPEG audio's, which may be a bitrate
    // estimate (no Xing/VBRI frame).
    let header_frames = if is_mpeg_audio(params.codec) {
        None
    } else {
        params.n_frames
    };
    if packets == 0 && header_frames != Some(0) {
        return Err(AudioError::new(
            Corrupt,
            format!("the {name} file holds no audio packets (damaged or truncated?)"),
        ));
    }
    let total = match header_frames {
        Some(n) => walked.min(n),
        None => walked,
    };
    // Only trim end padding when the end is there: the MP3 Xing frame count (or the
    // Ogg end granule) says how long the stream was written.
    let complete = params.n_frames.is_none_or(|n| walked >= n);
    let delay = u64::from(params.delay.unwrap_or(0));
    let padding = if complete {
        u64::from(params.padding.unwrap_or(0))
    } else {
        0
    };
    let playing = total.saturating_sub(delay).saturating_sub(padding);

    let length = ts_to_micros(playing, time_base);
    if length > MAX_CLIP_LENGTH {
        return Err(too_long(name));
    }
    Ok(length)
}

fn open(bytes: &[u8], extension: &str) -> Result<Box<dyn FormatReader>, AudioError> {
    // symphonia wants an owned, 'static source; a copy of a clip (≤ 64 MiB) is cheap next
    // to the fetch that produced it.
    let source = MediaSourceStream::new(
        Box::new(Cursor::new(bytes.to_vec())),
        MediaSourceStreamOptions::default(),
    );
    let mut hint = Hint::new();
    let extension = extension.trim_start_matches('.').to_ascii_lowercase();
    if !extension.is_empty() {
        hint.with_extension(&extension);
    }
    // Gapless mode off: the trimming is done above, with saturating arithmetic (symphonia's
    // own gapless arithmetic can underflow on a hostile LAME tag).
    let options = FormatOptions {
        enable_gapless: false,
        ..FormatOptions::default()
    };
    symphonia::default::get_probe()
        .format(&hint, source, &options, &MetadataOptions::default())
        .map(|probed| probed.format)
        .map_err(|err| match err {
            SymphoniaError::Unsupported(_) => AudioError::new(
                AudioErrorKind::Unsupported,
                "not an audio format this player reads (WAV, MP3, Ogg Vorbis or Opus, FLAC)",
            ),
            SymphoniaError::IoError(_) => AudioError::new(
                AudioErrorKind::Corrupt,
                "the audio file ends before its headers do (truncated?)",
            ),
            other => AudioError::new(
                AudioErrorKind::Corrupt,
                format!("the audio file is damaged ({other})"),
            ),
        })
}

/// Refuses WAV files holding ADPCM. symphonia 0.5's WAV reader derives an ADPCM block's
/// sample count with unchecked `u16` arithmetic, which panics (debug builds) or wraps
/// (release) on a short `block_align`, and we have no ADPCM codec; browsers do not play
/// ADPCM WAV either. Every `RIFF` in the input is checked, since the probe may skip
/// leading junk or tags to reach one.
fn refuse_adpcm_wav(bytes: &[u8]) -> Result<(), AudioError> {
    const WAVE_FORMAT_ADPCM: u16 = 0x0002;
    const WAVE_FORMAT_IMA_ADPCM: u16 = 0x0011;
    let u32_at = |at: usize| -> Option<u32> {
        Some(u32::from_le_bytes(
            bytes.get(at..at.checked_add(4)?)?.try_into().ok()?,
        ))
    };
    let riffs = bytes.windows(4).enumerate().filter(|(_, w)| w == b"RIFF");
    for (riff, _) in riffs {
        // Walk the chunks after "RIFF" size "WAVE" to the format chunk.
        let mut at = riff + 12;
        for _ in 0..64 {
            // `at` stays within the input (≤ 64 MiB), so the sums below cannot overflow.
            let (Some(id), Some(len)) = (bytes.get(at..at + 4), u32_at(at + 4)) else {
                break;
            };
            if id == b"fmt " {
                let tag = bytes
                    .get(at + 8..at + 10)
                    .map(|b| u16::from_le_bytes([b[0], b[1]]));
                if matches!(tag, Some(WAVE_FORMAT_ADPCM | WAVE_FORMAT_IMA_ADPCM)) {
                    return Err(AudioError::new(
                        AudioErrorKind::Unsupported,
                        "ADPCM WAV is not supported (browsers do not play it): \
                         use PCM WAV, MP3, Ogg or FLAC",
                    ));
                }
                break;
            }
            // Chunks are padded to an even length.
            let next = at as u64 + 8 + u64::from(len) + u64::from(len & 1);
            match usize::try_from(next) {
                Ok(next) if next < bytes.len() => at = next,
                _ => break,
            }
        }
    }
    Ok(())
}

/// The first track with a known codec (a container may also carry e.g. cover art).
fn audio_track(tracks: &[Track]) -> Option<&Track> {
    tracks
        .iter()
        .find(|t| t.codec_params.codec != codecs::CODEC_TYPE_NULL)
}

fn is_mpeg_audio(codec: CodecType) -> bool {
    [
        codecs::CODEC_TYPE_MP1,
        codecs::CODEC_TYPE_MP2,
        codecs::CODEC_TYPE_MP3,
    ]
    .contains(&codec)
}

fn codec_name(codec: CodecType) -> &'static str {
    match codec {
        codecs::CODEC_TYPE_MP1 => "MP1",
        codecs::CODEC_TYPE_MP2 => "MP2",
        codecs::CODEC_TYPE_MP3 => "MP3",
        codecs::CODEC_TYPE_VORBIS => "Vorbis",
        codecs::CODEC_TYPE_OPUS => "Opus",
        codecs::CODEC_TYPE_FLAC => "FLAC",
        c if pcm_sample_bytes(c).is_some() => "PCM",
        _ => "audio",
    }
}

/// Bytes per sample frame for interleaved PCM, which is what WAV carries.
fn pcm_frame_bytes(params: &codecs::CodecParameters) -> Option<u64> {
    let channels = params.channels?.count() as u64;
    let bytes = pcm_sample_bytes(params.codec)? * channels;
    (bytes > 0).then_some(bytes)
}

fn pcm_sample_bytes(codec: CodecType) -> Option<u64> {
    use codecs::*;
    Some(match codec {
        CODEC_TYPE_PCM_S8 | CODEC_TYPE_PCM_U8 | CODEC_TYPE_PCM_ALAW | CODEC_TYPE_PCM_MULAW => 1,
        CODEC_TYPE_PCM_S16LE | CODEC_TYPE_PCM_S16BE | CODEC_TYPE_PCM_U16LE
        | CODEC_TYPE_PCM_U16BE => 2,
        CODEC_TYPE_PCM_S24LE | CODEC_TYPE_PCM_S24BE | CODEC_TYPE_PCM_U24LE
        | CODEC_TYPE_PCM_U24BE => 3,
        CODEC_TYPE_PCM_S32LE | CODEC_TYPE_PCM_S32BE | CODEC_TYPE_PCM_U32LE
        | CODEC_TYPE_PCM_U32BE | CODEC_TYPE_PCM_F32LE | CODEC_TYPE_PCM_F32BE => 4,
        CODEC_TYPE_PCM_F64LE | CODEC_TYPE_PCM_F64BE => 8,
        _ => return None,
    })
}

fn too_long(name: &str) -> AudioError {
    AudioError::new(
        AudioErrorKind::TooLong {
            limit: MAX_CLIP_LENGTH,
        },
        format!(
            "the {name} clip plays for more than {} minutes, the limit",
            MAX_CLIP_LENGTH / (60 * MICROS_PER_SECOND)
        ),
    )
}

/// `ts` time-base units in microseconds, rounded half up, in integers so every platform
/// agrees.
fn ts_to_micros(ts: u64, tb: TimeBase) -> Micros {
    let num = u128::from(ts) * u128::from(tb.numer) * MICROS_PER_SECOND as u128;
    let den = u128::from(tb.denom);
    let micros = (2 * num + den) / (2 * den);
    Micros::try_from(micros).unwrap_or(Micros::MAX)
}

/// The smallest number of time-base units at least `t` long.
fn micros_to_ts_ceil(t: Micros, tb: TimeBase) -> u64 {
    let num = u128::try_from(t).unwrap_or(0) * u128::from(tb.denom);
    let den = u128::from(tb.numer) * MICROS_PER_SECOND as u128;
    u64::try_from(num.div_ceil(den)).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fixture and the figures `ffmpeg` gives for it:
    /// `ffprobe -v error -show_entries format=duration -of csv=p=0 FILE` (seconds, printed
    /// to 6 decimals), and the samples a gapless decoder plays,
    /// `ffmpeg -v error -i FILE -f s16le -ac 1 - | wc -c` ÷ 2.
    struct Case {
        file: &'static str,
        bytes: &'static [u8],
        ffprobe: f64,
        decoded_samples: i64,
        rate: i64,
    }

    macro_rules! fixture {
        ($file:literal) => {
            (
                $file,
                include_bytes!(concat!("../../tests/fixtures/audio/", $file)).as_slice(),
            )
        };
    }

    /// The fixtures (tests/fixtures/audio/make.sh): one 16 kHz espeak-ng phrase of 28193
    /// samples (1.7620625 s) in every format.
    fn cases() -> Vec<Case> {
        let case = |(file, bytes), ffprobe, decoded_samples, rate| Case {
            file,
            bytes,
            ffprobe,
            decoded_samples,
            rate,
        };
        vec![
            case(fixture!("voice.wav"), 1.762063, 28193, 16000),
            case(fixture!("voice.flac"), 1.762063, 28193, 16000),
            case(fixture!("voice.ogg"), 1.762063, 28193, 16000),
            // ffprobe reports 51 MPEG frames (29376 samples) and leaves the LAME tag's
            // encoder delay (576) and padding (607) to the decoder.
            case(fixture!("voice-xing.mp3"), 1.836000, 28193, 16000),
            // No LAME tag: nothing to trim; every frame plays.
            case(fixture!("voice-cbr-noxing.mp3"), 1.836000, 29376, 16000),
            // ffprobe estimates this VBR file's length from its bitrate (150 µs short);
            // `ffprobe -count_packets` finds the same 51 frames we count.
            case(fixture!("voice-vbr-noxing.mp3"), 1.835850, 29376, 16000),
            // ffprobe reports the end granule, 312 samples of pre-skip included.
            case(fixture!("voice.opus"), 1.768563, 84579, 48000),
        ]
    }

    fn micros(samples: i64, rate: i64) -> Micros {
        (2 * samples * MICROS_PER_SECOND + rate) / (2 * rate)
    }

    #[test]
    fn fixtures_last_as_long_as_ffmpeg_decodes_them() {
        for case in cases() {
            let extension = case.file.rsplit('.').next().unwrap();
            let want = micros(case.decoded_samples, case.rate);
            assert_eq!(
                clip_length(case.bytes, extension),
                Ok(want),
                "{}",
                case.file
            );
            // The bytes decide, not the extension.
            assert_eq!(clip_length(case.bytes, ""), Ok(want), "{}", case.file);
            assert_eq!(clip_length(case.bytes, "wav"), Ok(want), "{}", case.file);
        }
    }

    #[test]
    fn fixtures_agree_with_ffprobe_where_it_reports_the_played_length() {
        // ffprobe prints 6 decimals: a 1 µs tolerance, for its rounding only.
        for case in cases() {
            let length = clip_length(case.bytes, "").unwrap();
            let ffprobe = (case.ffprobe * 1e6).round() as Micros;
            let expected_gap = match case.file {
                "voice-xing.mp3" => micros(576 + 607, 16000),
                "voice-vbr-noxing.mp3" => -150,
                "voice.opus" => micros(312, 48000),
                _ => 0,
            };
            let gap = ffprobe - length;
            assert!(
                (gap - expected_gap).abs() <= 1,
                "{}: ffprobe − ours = {gap} µs",
                case.file
            );
        }
    }

    #[test]
    fn corpus_mp3_matches_ffprobe() {
        // 44.1 kHz MPEG-1 CBR, no Xing frame. `ffprobe` (format=duration) says 1.906938;
        // `ffprobe -count_packets` finds 73 frames of 1152 samples = 84096 samples
        // = 1.9069388 s, which `ffmpeg` also decodes. Tolerance 1 µs: ffprobe's 6 decimals.
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/corpus/pepper-carrot-ep17/audio/page1-panel2-bubble.mp3"
        );
        // The shared corpus sits beside the repo, on developers' machines and in CI.
        let bytes = std::fs::read(path).unwrap_or_else(|e| {
            panic!("{path}: {e} (the shared corpus must sit beside the repository, in ../shared/corpus)")
        });
        let length = clip_length(&bytes, "mp3").unwrap();
        assert_eq!(length, micros(84096, 44100));
        assert!((length - 1_906_938).abs() <= 1);
    }

    /// A PCM WAV header announcing `data_len` bytes.
    fn wav_header(rate: u32, bits: u16, channels: u16, data_len: u32) -> Vec<u8> {
        let block = bits / 8 * channels;
        let mut h = Vec::new();
        h.extend(b"RIFF");
        h.extend(data_len.saturating_add(36).to_le_bytes());
        h.extend(b"WAVEfmt ");
        h.extend(16u32.to_le_bytes());
        h.extend(1u16.to_le_bytes()); // PCM
        h.extend(channels.to_le_bytes());
        h.extend(rate.to_le_bytes());
        h.extend((rate * u32::from(block)).to_le_bytes());
        h.extend(block.to_le_bytes());
        h.extend(bits.to_le_bytes());
        h.extend(b"data");
        h.extend(data_len.to_le_bytes());
        h
    }

    #[test]
    fn truncated_wav_lasts_as_long_as_the_samples_left() {
        let (_, wav) = fixture!("voice.wav");
        // 44-byte header, then 2 bytes a sample; an odd cut leaves half a sample behind.
        for samples in [1, 1151, 1152, 1153, 10_000, 28_192] {
            let cut = &wav[..44 + 2 * samples as usize + 1];
            assert_eq!(
                clip_length(cut, "wav"),
                Ok(micros(samples, 16000)),
                "{samples}"
            );
        }
        // 24-bit stereo: 6 bytes a frame; 1000 frames cut 7 bytes short leave 998.
        let mut wav = wav_header(48000, 24, 2, 6000);
        wav.resize(wav.len() + 6000 - 7, 0);
        assert_eq!(clip_length(&wav, "wav"), Ok(micros(998, 48000)));
        // Header only: an empty but valid clip.
        assert_eq!(clip_length(&wav_header(16000, 16, 1, 0), "wav"), Ok(0));
        // A header announcing data that is not there.
        let err = clip_length(&wav_header(16000, 16, 1, 1000), "wav").unwrap_err();
        assert_eq!(err.kind, AudioErrorKind::Corrupt);
    }

    #[test]
    fn streamed_wav_of_unknown_size_lasts_as_long_as_its_samples() {
        // What `ffmpeg … -f wav -` writes to a pipe: both sizes 0xffffffff.
        let (_, wav) = fixture!("voice.wav");
        let mut streamed = wav.to_vec();
        streamed[4..8].fill(0xff);
        streamed[40..44].fill(0xff);
        assert_eq!(clip_length(&streamed, "wav"), Ok(micros(28193, 16000)));
    }

    #[test]
    fn truncated_mp3_keeps_its_delay_but_not_the_lost_padding() {
        let (_, mp3) = fixture!("voice-xing.mp3");
        let half = clip_length(&mp3[..mp3.len() / 2], "mp3").unwrap();
        let full = clip_length(mp3, "mp3").unwrap();
        assert!(half > 0 && half < full, "{half} vs {full}");
        // Whole 36 ms frames less the 1105-sample delay.
        let samples = (half * 16000 + MICROS_PER_SECOND / 2) / MICROS_PER_SECOND;
        assert_eq!((samples + 1105) % 576, 0, "{half} µs");
    }

    #[test]
    fn adpcm_wav_is_unsupported() {
        for (format, extra) in [(0x11u16, 2u16), (2, 32)] {
            for block_align in [0u16, 1, 3, 4, 7, 8, 200] {
                let mut h = Vec::new();
                h.extend(b"RIFF");
                h.extend(1000u32.to_le_bytes());
                h.extend(b"WAVEfmt ");
                h.extend((20u32 + u32::from(extra)).to_le_bytes());
                h.extend(format.to_le_bytes());
                h.extend(1u16.to_le_bytes());
                h.extend(8000u32.to_le_bytes());
                h.extend(4000u32.to_le_bytes());
                h.extend(block_align.to_le_bytes());
                h.extend(4u16.to_le_bytes());
                h.extend(extra.to_le_bytes());
                h.extend(vec![0u8; extra as usize]);
                h.extend(b"data");
                h.extend(800u32.to_le_bytes());
                h.extend(vec![0u8; 800]);
                let err = clip_length(&h, "wav").unwrap_err();
                assert_eq!(
                    err.kind,
                    AudioErrorKind::Unsupported,
                    "{format} {block_align}"
                );
            }
        }
    }

    #[test]
    fn limits_are_typed_errors() {
        let err = clip_length(&[], "mp3").unwrap_err();
        assert_eq!(err.kind, AudioErrorKind::Empty);

        let huge = vec![0u8; MAX_CLIP_BYTES + 1];
        let err = clip_length(&huge, "wav").unwrap_err();
        let limit = MAX_CLIP_BYTES;
        assert_eq!(
            err.kind,
            AudioErrorKind::TooLarge {
                bytes: limit + 1,
                limit
            }
        );

        // 8-bit PCM at 100 Hz: an hour and a second in 360 kB.
        let data_len = 100 * 3601;
        let mut wav = wav_header(100, 8, 1, data_len);
        wav.resize(wav.len() + data_len as usize, 0x80);
        let err = clip_length(&wav, "wav").unwrap_err();
        assert_eq!(
            err.kind,
            AudioErrorKind::TooLong {
                limit: MAX_CLIP_LENGTH
            }
        );
        // Exactly one hour is allowed.
        wav.truncate(wav.len() - 100);
        assert_eq!(clip_length(&wav, "wav"), Ok(MAX_CLIP_LENGTH));
    }

    #[test]
    fn non_audio_is_unsupported() {
        for (bytes, ext) in [
            (&b"not audio at all"[..], "mp3"),
            (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "png"),
            (b"{\"format\": \"manju/1\"}", "json"),
        ] {
            let err = clip_length(bytes, ext).unwrap_err();
            assert_eq!(err.kind, AudioErrorKind::Unsupported, "{bytes:?}");
            assert!(!err.to_string().is_empty());
        }
    }

    /// xorshift64: deterministic noise without a dev-dependency.
    struct Noise(u64);

    impl Noise {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    fn check_no_panic(bytes: &[u8], what: &str) {
        match clip_length(bytes, "") {
            Ok(length) => assert!((0..=MAX_CLIP_LENGTH).contains(&length), "{what}: {length}"),
            Err(err) => assert!(!err.message.is_empty(), "{what}"),
        }
    }

    #[test]
    fn garbage_never_panics() {
        let mut noise = Noise(0x2545_f491_4f6c_dd1d);
        let magics: [&[u8]; 7] = [
            b"",
            b"RIFF\xff\xff\0\0WAVEfmt ",
            b"fLaC",
            b"OggS\0\x02",
            b"ID3\x04\0\0\0\0\0\x10",
            b"\xff\xfb\x90\xc4",
            b"\xff\xf3\x48\xc4",
        ];
        for i in 0..3000 {
            let mut bytes = magics[i % magics.len()].to_vec();
            let len = noise.below(if i % 10 == 0 { 20_000 } else { 600 });
            bytes.extend((0..len).map(|_| noise.next() as u8));
            check_no_panic(&bytes, &format!("noise #{i}"));
        }
    }

    #[test]
    fn truncated_and_damaged_fixtures_never_panic() {
        // MANJU_FUZZ_ROUNDS=100000 for a longer search.
        let rounds = std::env::var("MANJU_FUZZ_ROUNDS").map_or(400, |r| r.parse().unwrap());
        let mut noise = Noise(0x9e37_79b9_7f4a_7c15);
        for case in cases() {
            let full = micros(case.decoded_samples, case.rate);
            // Every cut (stepping through the file), as after a failed download.
            for cut in (0..case.bytes.len()).step_by(37) {
                if let Ok(length) = clip_length(&case.bytes[..cut], "") {
                    // MP3 without a LAME tag counts whole frames, like a decoder.
                    assert!(length <= full, "{} cut at {cut}: {length}", case.file);
                }
            }
            // Bytes overwritten, inserted or removed, mostly in the headers.
            for round in 0..rounds {
                let mut bytes = case.bytes.to_vec();
                for _ in 0..1 + noise.below(8) {
                    let span = if round % 2 == 0 { 400 } else { bytes.len() };
                    let at = noise.below(span.min(bytes.len()).max(1));
                    match noise.below(8) {
                        0 => bytes.insert(at, noise.next() as u8),
                        1 if at < bytes.len() => drop(bytes.drain(at..(at + 64).min(bytes.len()))),
                        2 => bytes[at..].iter_mut().take(4).for_each(|b| *b = 0xff),
                        _ if at < bytes.len() => bytes[at] = noise.next() as u8,
                        _ => {}
                    }
                }
                check_no_panic(&bytes, &format!("{} round {round}", case.file));
            }
        }
    }
}
