# SPDX-License-Identifier: Apache-2.0
# Sourced by the framework scripts in integrations/*/ (POSIX sh): reads the
# owner's configuration and runs one veto decision so that its reasons end up
# where people look: the --report file, syslog/the journal (logger), and
# standard error, which each framework copies into its own log.
#
# Configuration: ${VETO_INTEGRATION_CONF:-/etc/veto/integration.conf}, a shell
# fragment that may set:
#   VETO         the veto command                  (default: veto)
#   VETO_STATE   the device's state directory      (default: /var/lib/veto)
#   VETO_REPORT  the JSON report of the last decision
#                                                  (default: /run/veto/report.json)
#   VETO_LOG_TAG the syslog tag                    (default: veto)
#   VETO_LOGGER  the logger command, "" for none   (default: logger)
#   VETO_RECEIPTS where signed receipts go when the state directory holds a
#                device key (veto init --device-key); outside the state
#                directory                         (default: /var/lib/veto-receipts)
# plus the variables of each framework's README.

veto_conf_load() {
	VETO=veto
	VETO_STATE=/var/lib/veto
	VETO_REPORT=/run/veto/report.json
	VETO_LOG_TAG=veto
	VETO_LOGGER="logger"
	VETO_RECEIPTS=/var/lib/veto-receipts
	conf=${VETO_INTEGRATION_CONF:-/etc/veto/integration.conf}
	if [ -f "$conf" ]; then
		# shellcheck disable=SC1090
		. "$conf" || return 2
	fi
	mkdir -p "$(dirname "$VETO_REPORT")" 2>/dev/null || true
	# scratch space of our own: a framework may clean its TMPDIR under us
	VETO_TMP=$(dirname "$VETO_REPORT")
}

# veto_say PRIORITY TEXT: one line to standard error and to syslog.  With
# VETO_SAY_INFO_STDOUT=1, an info line goes to standard output instead: a
# framework that reads a command's standard error as failure (SWUpdate
# turns each such line into an ERROR notice) must see only real errors there.
veto_say() {
	if [ "$1" = info ] && [ "${VETO_SAY_INFO_STDOUT:-0}" = 1 ]; then
		printf 'veto: %s\n' "$2"
	else
		printf 'veto: %s\n' "$2" >&2
	fi
	if [ -n "$VETO_LOGGER" ]; then
		$VETO_LOGGER -t "$VETO_LOG_TAG" -p "user.$1" -- "$2" 2>/dev/null || true
	fi
}

# veto_receipt_args COMMAND: sets "receipt" to the option words that make
# veto sign a receipt of this decision, when the state directory holds a
# device key (veto then refuses a commit without one).  Receipts are numbered
# in the order they are made (NNNNNN-COMMAND.dsse), so that
# "veto receipt verify --key device.pub $VETO_RECEIPTS/*.dsse" reads them in
# the order of the chain.
veto_receipt_args() {
	receipt=
	[ -f "$VETO_STATE/device.key" ] || return 0
	if ! mkdir -p -m 700 "$VETO_RECEIPTS" 2>/dev/null; then
		veto_say err "cannot make the receipt directory $VETO_RECEIPTS"
		return 2
	fi
	n=$(find "$VETO_RECEIPTS" -maxdepth 1 -name '[0-9]*-*.dsse' | wc -l)
	receipt=$(printf '%s/%06d-%s.dsse' "$VETO_RECEIPTS" $((n + 1)) "$1")
}

# veto_decide FRAMEWORK COMMAND UPDATE IMAGE [OPTION...]: runs
# "veto COMMAND --state ... --update UPDATE --image IMAGE --report ..." and
# passes every line it prints on (the decision first, then one line per
# reason).  Returns veto's exit status: 0 accept, 1 refuse, 2 error.
veto_decide() {
	fw=$1 cmd=$2 upd=$3 img=$4
	shift 4
	veto_receipt_args "$cmd" || return 2
	if [ -n "$receipt" ]; then
		set -- "$@" --receipt "$receipt"
	fi
	out=$(mktemp "$VETO_TMP/out.XXXXXX") || { veto_say err "$fw: cannot make a file in $VETO_TMP"; return 2; }
	"$VETO" "$cmd" --state "$VETO_STATE" --update "$upd" --image "$img" \
		--report "$VETO_REPORT" "$@" >"$out" 2>&1
	rc=$?
	case $rc in
	0) prio=info ;;
	1) prio=err ;;
	*) prio=err ;;
	esac
	veto_say "$prio" "$fw: veto $cmd $(basename "$upd") (exit $rc; report in $VETO_REPORT${receipt:+; receipt $receipt})"
	while IFS= read -r line; do
		veto_say "$prio" "$line"
	done <"$out"
	rm -f "$out"
	return $rc
}
