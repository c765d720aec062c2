#!/usr/bin/env bash
# Fault injection against the real executable: full disk, output = input, read-only and
# permission-restricted targets, signals at random moments, two writers on one output, mode
# and owner of a replaced file. Each case asserts the exit status, the message, that the old
# output is byte-identical (or, where the run may succeed, completely replaced) and that no
# temporary file or folder is left.
#
# usage: faults.sh EXE CASE [SEED]      exit 0 pass, 1 fail, 77 skipped (with the reason)
# Cases needing root (mount namespaces, running as nobody) skip without it.
set -u
EXE=$1
CASE=$2
SEED=${3:-${FR_FAULT_SEED:-$(( $(date +%s) % 100000 ))}}
SRC_DIR=$(cd "$(dirname "$0")/../.." && pwd)
TRACK="$SRC_DIR/tests/data/valid/fr24/seven_columns.csv"
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)

fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
skip() { echo "SKIP: $*"; exit 77; }
need_root() { [ "$(id -u)" = 0 ] || skip "$CASE needs root (mount namespace / setpriv)"; }

WORK=$(mktemp -d /tmp/fr-faults.XXXXXX)
chmod 755 "$WORK"
trap 'rm -rf "$WORK"' EXIT
cp "$TRACK" "$WORK/track.csv"
chmod 644 "$WORK/track.csv"

# run LOG CMD...: runs CMD with stderr in LOG; sets RC.
run() {
    local log=$1
    shift
    "$@" >"$log" 2>&1
    RC=$?
}
expect_rc() {  # expect_rc WANT WHAT LOG
    if [ "$RC" != "$1" ]; then fail "$2: exit $RC, expected $1"; sed 's/^/    /' "$3"; fi
}
expect_msg() {  # expect_msg REGEX WHAT LOG
    grep -Eq "$1" "$3" || { fail "$2: message does not match /$1/"; sed 's/^/    /' "$3"; }
}
expect_same() {  # expect_same OLD_COPY FILE WHAT
    cmp -s "$1" "$2" || fail "$3: '$2' changed"
}
expect_no_temp() {  # expect_no_temp DIR WHAT
    local left
    left=$(find "$1" -name '*.tmp-*' 2>/dev/null)
    [ -z "$left" ] || fail "$2: temporaries left: $left"
}
# make_old DIR NAME: a known "good" output to protect, plus a copy outside DIR.
make_old() {
    head -c 3000 /dev/urandom >"$1/$2"
    cp "$1/$2" "$WORK/old-$2"
}

case "$CASE" in
full_disk)
    need_root
    unshare -m true 2>/dev/null || skip "unshare -m is not permitted here"
    for ext in geojson kml gpkg png svg pdf mp4 gif; do
        # In a private mount namespace: a 1 MiB tmpfs, the old output on it, then filled up.
        unshare -m --propagation private bash -c '
            set -u
            mnt=$1; exe=$2; track=$3; ext=$4
            mkdir -p "$mnt" && mount -t tmpfs -o size=1m tmpfs "$mnt" || exit 99
            head -c 3000 /dev/urandom >"$mnt/good.$ext"
            cp "$mnt/good.$ext" "$mnt/../saved.$ext"
            dd if=/dev/zero of="$mnt/fill" bs=4k 2>/dev/null
            "$exe" render "$track" -o "$mnt/good.$ext" --size 320x180 --duration 1 --fps 10 -q
            echo "rc=$?"
            cmp -s "$mnt/good.$ext" "$mnt/../saved.$ext" && echo same=yes || echo same=no
            find "$mnt" -name "*.tmp-*" | sed "s/^/left=/"
        ' _ "$WORK/mnt-$ext" "$EXE" "$WORK/track.csv" "$ext" >"$WORK/log-$ext" 2>&1
        log="$WORK/log-$ext"
        grep -q '^rc=1$' "$log" || { fail "full disk .$ext: exit status is not 1"; sed 's/^/    /' "$log"; }
        grep -q '^same=yes$' "$log" || fail "full disk .$ext: the old output changed"
        ! grep -q '^left=' "$log" || { fail "full disk .$ext: temporaries left"; grep '^left=' "$log"; }
        grep -Eqi 'no space left on device|disk is full|database or disk is full' "$log" ||
            { fail "full disk .$ext: message does not say the disk is full"; sed 's/^/    /' "$log"; }
    done
    ;;
output_is_input)
    cp "$WORK/track.csv" "$WORK/saved.csv"
    run "$WORK/log" "$EXE" render "$WORK/track.csv" -o "$WORK/track.csv" -q
    expect_rc 2 "output = input" "$WORK/log"
    expect_msg "is the input" "output = input" "$WORK/log"
    expect_same "$WORK/saved.csv" "$WORK/track.csv" "output = input"
    # The same file under another name (a hard link; a symlink to it).
    ln "$WORK/track.csv" "$WORK/alias.png"
    run "$WORK/log" "$EXE" render "$WORK/track.csv" -o "$WORK/alias.png" -q
    expect_rc 2 "output = input through a hard link" "$WORK/log"
    expect_same "$WORK/saved.csv" "$WORK/track.csv" "hard link"
    ln -s track.csv "$WORK/link.geojson"
    run "$WORK/log" "$EXE" render "$WORK/track.csv" -o "$WORK/link.geojson" -q
    expect_rc 2 "output = input through a symlink" "$WORK/log"
    expect_same "$WORK/saved.csv" "$WORK/track.csv" "symlink"
    # An input found by expanding a directory.
    mkdir "$WORK/in" && cp "$WORK/track.csv" "$WORK/in/a.csv" && ln "$WORK/in/a.csv" "$WORK/in-alias.kml"
    run "$WORK/log" "$EXE" render "$WORK/in" -o "$WORK/in-alias.kml" -q
    expect_rc 2 "output = a file of an input directory" "$WORK/log"
    expect_same "$WORK/saved.csv" "$WORK/in/a.csv" "directory input"
    # An existing directory named like a file, and .json (not an output we write).
    mkdir "$WORK/x.png"
    run "$WORK/log" "$EXE" render "$WORK/track.csv" -o "$WORK/x.png" -q
    expect_rc 2 "directory named x.png" "$WORK/log"
    expect_msg "existing directory" "directory named x.png" "$WORK/log"
    run "$WORK/log" "$EXE" render "$WORK/track.csv" -o "$WORK/out.json" -q
    expect_rc 2 ".json output" "$WORK/log"
    expect_msg "\.geojson" ".json output" "$WORK/log"
    [ ! -e "$WORK/out.json" ] || fail ".json output was written"
    # concat: the output is one of the shards.
    "$EXE" render "$WORK/track.csv" -o "$WORK/s.mp4" --size 320x180 --duration 1 --fps 10 -q
    cp "$WORK/s.mp4" "$WORK/saved.mp4"
    run "$WORK/log" "$EXE" concat "$WORK/s.mp4" -o "$WORK/s.mp4" -q
    expect_rc 2 "concat output = shard" "$WORK/log"
    expect_same "$WORK/saved.mp4" "$WORK/s.mp4" "concat output = shard"
    expect_no_temp "$WORK" "output = input"
    ;;
read_only_dir)
    need_root
    mkdir "$WORK/ro"
    for ext in png geojson gpkg mp4; do make_old "$WORK/ro" "old.$ext"; done
    chmod 555 "$WORK/ro"
    for ext in png geojson gpkg mp4; do
        run "$WORK/log" "${NOBODY[@]}" "$EXE" render "$WORK/track.csv" -o "$WORK/ro/old.$ext" --size 320x180 --duration 1 --fps 10 -q
        expect_rc 1 "read-only folder .$ext (as nobody)" "$WORK/log"
        expect_msg "Permission denied" "read-only folder .$ext" "$WORK/log"
        expect_same "$WORK/old-old.$ext" "$WORK/ro/old.$ext" "read-only folder .$ext"
    done
    # A read-only mount, as root (root ignores mode bits, not a read-only file system).
    if unshare -m true 2>/dev/null; then
        unshare -m --propagation private bash -c '
            mount --bind "$1" "$1" && mount -o remount,ro,bind "$1" || exit 99
            "$2" render "$3" -o "$1/old.png" --size 320x180 -q; echo "rc=$?"' _ "$WORK/ro" "$EXE" "$WORK/track.csv" >"$WORK/log" 2>&1
        grep -q '^rc=1$' "$WORK/log" || { fail "read-only mount: exit status is not 1"; sed 's/^/    /' "$WORK/log"; }
        expect_msg "Read-only file system" "read-only mount" "$WORK/log"
        expect_same "$WORK/old-old.png" "$WORK/ro/old.png" "read-only mount"
    fi
    expect_no_temp "$WORK/ro" "read-only folder"
    ;;
restricted_target)
    need_root
    # A sticky folder (like /tmp): nobody may create files but not replace root's.
    mkdir "$WORK/sticky" && chmod 1777 "$WORK/sticky"
    for ext in png geojson gpkg mp4 pdf; do
        make_old "$WORK/sticky" "old.$ext"
        chmod 644 "$WORK/sticky/old.$ext"
        run "$WORK/log" "${NOBODY[@]}" "$EXE" render "$WORK/track.csv" -o "$WORK/sticky/old.$ext" --size 320x180 --duration 1 --fps 10 -q
        expect_rc 1 "root's file in a sticky folder .$ext (as nobody)" "$WORK/log"
        expect_msg "Operation not permitted|Permission denied" "sticky folder .$ext" "$WORK/log"
        expect_same "$WORK/old-old.$ext" "$WORK/sticky/old.$ext" "sticky folder .$ext"
    done
    expect_no_temp "$WORK/sticky" "sticky folder"
    ;;
mode_owner)
    # A replaced output keeps its mode (and, as root, its owner and group).
    for ext in png geojson gpkg mp4 svg; do
        make_old "$WORK" "keep.$ext"
        chmod 600 "$WORK/keep.$ext"
        [ "$(id -u)" = 0 ] && chown 65534:65534 "$WORK/keep.$ext"
        run "$WORK/log" "$EXE" render "$WORK/track.csv" -o "$WORK/keep.$ext" --size 320x180 --duration 1 --fps 10 -q
        expect_rc 0 "replace .$ext" "$WORK/log"
        cmp -s "$WORK/old-keep.$ext" "$WORK/keep.$ext" && fail "replace .$ext: the file was not replaced"
        mode=$(stat -c %a "$WORK/keep.$ext")
        [ "$mode" = 600 ] || fail "replace .$ext: mode $mode, expected 600"
        if [ "$(id -u)" = 0 ]; then
            owner=$(stat -c %u:%g "$WORK/keep.$ext")
            [ "$owner" = 65534:65534 ] || fail "replace .$ext: owner $owner, expected 65534:65534"
        fi
    done
    # A new output gets 0666 minus the umask, not the temporary's 0600.
    (umask 022 && "$EXE" render "$WORK/track.csv" -o "$WORK/new.png" --size 320x180 -q)
    [ "$(stat -c %a "$WORK/new.png")" = 644 ] || fail "new output: mode $(stat -c %a "$WORK/new.png"), expected 644"
    expect_no_temp "$WORK" "mode/owner"
    ;;
signals)
    echo "seed $SEED (rerun: FR_FAULT_SEED=$SEED or faults.sh EXE signals $SEED)"
    RANDOM=$SEED
    # Job control: background jobs of a non-interactive shell would otherwise ignore SIGINT.
    set -m
    i=0
    for sig in INT TERM HUP INT TERM HUP; do
        for ext in mp4 png gpkg; do
            i=$((i + 1))
            make_old "$WORK" "sig$i.$ext"
            case $ext in
            mp4) args=(--size 320x180 --duration 60 --fps 30); max_ms=2500 ;;
            png) args=(--size 4000x3000); max_ms=1500 ;;
            gpkg) args=(); max_ms=400 ;;
            esac
            delay_ms=$((RANDOM % max_ms + 400))  # start-up (loading libraries) takes 100-400 ms here
            "$EXE" render "$WORK/track.csv" -o "$WORK/sig$i.$ext" "${args[@]}" -q >"$WORK/log" 2>&1 &
            pid=$!
            sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"
            kill -s "$sig" "$pid" 2>/dev/null
            wait "$pid"
            RC=$?
            want=$((128 + $(kill -l "$sig")))
            echo "SIG$sig after ${delay_ms} ms on .$ext: exit $RC"
            if [ "$RC" = 0 ]; then
                # Finished before the signal: then the new output must be complete.
                cmp -s "$WORK/old-sig$i.$ext" "$WORK/sig$i.$ext" && fail "SIG$sig .$ext: exit 0 but the output was not replaced"
            else
                expect_rc "$want" "SIG$sig .$ext" "$WORK/log"
                # An empty log: killed while the program was still starting (before its
                # handlers were installed), when it had created nothing yet.
                [ -s "$WORK/log" ] && expect_msg "interrupted" "SIG$sig .$ext" "$WORK/log"
                # A signal after the output was renamed into place (the program was exiting)
                # cannot undo it: the message says so; otherwise the old file must be intact.
                grep -q "after the output was complete" "$WORK/log" ||
                    expect_same "$WORK/old-sig$i.$ext" "$WORK/sig$i.$ext" "SIG$sig .$ext"
            fi
            expect_no_temp "$WORK" "SIG$sig .$ext"
        done
    done
    ;;
two_writers)
    for ext in png mp4 geojson; do
        "$EXE" render "$WORK/track.csv" -o "$WORK/a.$ext" --size 320x180 --duration 2 --fps 10 --threads 1 -q
        "$EXE" render "$WORK/track.csv" -o "$WORK/b.$ext" --size 640x360 --duration 2 --fps 10 --threads 1 --title other -q
        make_old "$WORK" "both.$ext"
        "$EXE" render "$WORK/track.csv" -o "$WORK/both.$ext" --size 320x180 --duration 2 --fps 10 --threads 1 -q &
        p1=$!
        "$EXE" render "$WORK/track.csv" -o "$WORK/both.$ext" --size 640x360 --duration 2 --fps 10 --threads 1 --title other -q &
        p2=$!
        wait $p1
        r1=$?
        wait $p2
        r2=$?
        [ "$r1" = 0 ] && [ "$r2" = 0 ] || fail "two writers .$ext: exits $r1 and $r2"
        cmp -s "$WORK/both.$ext" "$WORK/a.$ext" || cmp -s "$WORK/both.$ext" "$WORK/b.$ext" ||
            fail "two writers .$ext: the result is neither writer's whole output"
        expect_no_temp "$WORK" "two writers .$ext"
    done
    ;;
inputs)
    # Piped input: the recorded SHA-256 is of the bytes actually read.
    want=$(sha256sum <"$WORK/track.csv" | cut -d' ' -f1)
    run "$WORK/log" bash -c "cat '$WORK/track.csv' | '$EXE' render - -o '$WORK/piped.png' --size 320x180 -q"
    expect_rc 0 "piped input" "$WORK/log"
    grep -aq "$want" "$WORK/piped.png" || fail "piped input: the PNG does not record the SHA-256 of the piped bytes ($want)"
    grep -aq "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" "$WORK/piped.png" &&
        fail "piped input: the PNG records the SHA-256 of empty input"
    # Unbounded inputs stop at the cap with a clear message.
    run "$WORK/log" timeout 60 "$EXE" info --max-input-bytes 4M /dev/zero
    expect_rc 1 "/dev/zero" "$WORK/log"
    expect_msg "/dev/zero: stopped reading at more than 4 MiB" "/dev/zero" "$WORK/log"
    run "$WORK/log" timeout 60 "$EXE" render --scene /dev/zero -o "$WORK/z.png"
    expect_rc 1 "--scene /dev/zero" "$WORK/log"
    expect_msg "stopped reading at more than 16 MiB" "--scene /dev/zero" "$WORK/log"
    # Escape sequences in the input never reach the terminal raw (info's table, messages).
    printf 'Timestamp,UTC,Callsign,Position,Altitude,Speed,Direction\n' >"$WORK/esc.csv"
    tail -n +2 "$WORK/track.csv" | sed "s/ANZ1005/AB\x1b]0;owned\x07\x1b[2J/" >>"$WORK/esc.csv"
    grep -q $'\x1b' "$WORK/esc.csv" || fail "test set-up: no escape byte in esc.csv"
    run "$WORK/log" "$EXE" info "$WORK/esc.csv"
    expect_rc 0 "escapes in info" "$WORK/log"
    ! grep -q $'\x1b' "$WORK/log" || fail "info printed a raw ESC byte"
    expect_msg 'AB\\x1b' "escapes in info" "$WORK/log"
    # concat takes video shards only.
    "$EXE" render "$WORK/track.csv" -o "$WORK/still.png" --size 320x180 -q
    run "$WORK/log" "$EXE" concat "$WORK/still.png" -o "$WORK/joined.mp4" -q
    expect_rc 1 "concat of a PNG" "$WORK/log"
    expect_msg "is not a video shard" "concat of a PNG" "$WORK/log"
    [ ! -e "$WORK/joined.mp4" ] || fail "concat of a PNG wrote an output"
    # PNG sequences: every frame its own name, even with a wide field.
    run "$WORK/log" "$EXE" render "$WORK/track.csv" -o "$WORK/seq/%099d.png" --size 320x180 --duration 0.3 --fps 10 -q
    expect_rc 0 "%099d sequence" "$WORK/log"
    [ "$(find "$WORK/seq" -name '*.png' | wc -l)" = 3 ] || fail "%099d sequence: $(find "$WORK/seq" -name '*.png' | wc -l) files, expected 3"
    run "$WORK/log" "$EXE" render "$WORK/track.csv" -o "$WORK/$(printf 'n%.0s' $(seq 200))%099d.png" --duration 0.3 --fps 10 -q
    expect_rc 2 "over-long sequence names" "$WORK/log"
    # A directory walk goes on past a symlink loop and (as nobody) an unreadable folder.
    mkdir -p "$WORK/walk/locked" && cp "$WORK/track.csv" "$WORK/walk/a.csv" && cp "$WORK/track.csv" "$WORK/walk/locked/b.csv"
    ln -s loop "$WORK/walk/loop"
    chmod 755 "$WORK/walk" && chmod 644 "$WORK/walk/a.csv"
    if [ "$(id -u)" = 0 ]; then
        chmod 700 "$WORK/walk/locked"
        run "$WORK/log" "${NOBODY[@]}" "$EXE" info "$WORK/walk"
        expect_msg "walk/locked: warning: cannot read this directory: Permission denied" "unreadable folder" "$WORK/log"
    else
        run "$WORK/log" "$EXE" info "$WORK/walk"
    fi
    expect_rc 0 "directory walk" "$WORK/log"
    expect_msg "walk/loop: warning: .*(skipped)" "symlink loop" "$WORK/log"
    expect_msg "ANZ1005" "directory walk" "$WORK/log"
    expect_no_temp "$WORK" "inputs"
    ;;
*)
    echo "unknown case $CASE"
    exit 2
    ;;
esac

if [ "$fails" -gt 0 ]; then
    echo "$CASE: $fails failure(s)"
    exit 1
fi
echo "$CASE: ok"
exit 0
