# Sourced by the benchmark scripts: sets `corpus` to ../shared/corpus/xmpp-org,
# or the nearest such folder above the checkout, or exits with a message.
corpus=""
dir=$PWD
while [ "$dir" != / ]; do
  if [ -d "$dir/shared/corpus/xmpp-org/content" ]; then corpus=$dir/shared/corpus/xmpp-org; break; fi
  dir=$(dirname "$dir")
done
[ -n "$corpus" ] || { echo "shared/corpus/xmpp-org not found beside the checkout" >&2; exit 1; }
