# bench/ingest/peers.sh — the peers' configs, sourced by run.sh and
# lossless.sh: conf_rsyslog and conf_syslogng DIR PORT default|tuned print
# a config listening on TCP and UDP PORT on 127.0.0.1 and writing every
# message to DIR/out.log.
conf_rsyslog() {	# conf_rsyslog DIR PORT default|tuned
	if [ "$3" = default ]; then
		cat <<X
global(workDirectory="$1")
module(load="imtcp")
module(load="imudp")
input(type="imtcp" address="127.0.0.1" port="$2" ruleset="out")
input(type="imudp" address="127.0.0.1" port="$2" ruleset="out")
ruleset(name="out") { action(type="omfile" file="$1/out.log") }
X
	else
		# rsyslog's performance tuning (its "Turning Performance" and
		# imptcp docs): imptcp, one big batch-dequeued FixedArray
		# main queue, buffered async omfile.  Measured on this box
		# (2,000,000 octet-counted lines, one connection, medians of
		# 3): this config ~0.80 M/s; imptcp threads=2 0.62 M/s; a
		# separate LinkedList ruleset queue 0.59 M/s; imtcp 0.50 M/s;
		# RSYSLOG_FileFormat template 0.65 M/s; queue.size 500k
		# 0.60 M/s.  UDP keeps imudp's batch and receive buffer.
		cat <<X
global(workDirectory="$1")
module(load="imptcp" threads="1")
module(load="imudp" threads="2" batchSize="256")
main_queue(queue.type="FixedArray" queue.size="100000"
    queue.dequeueBatchSize="4096" queue.workerThreads="1")
input(type="imptcp" address="127.0.0.1" port="$2")
input(type="imudp" address="127.0.0.1" port="$2" rcvbufSize="8m")
action(type="omfile" file="$1/out.log" asyncWriting="on"
    ioBufferSize="1m" flushOnTXEnd="off" flushInterval="1")
X
	fi
}

conf_syslogng() {	# conf_syslogng DIR PORT default|tuned
	echo '@version: 3.38'
	if [ "$3" = tuned ]; then
		# syslog-ng's tuning: flow-control, larger fetch limits and
		# window, larger receive buffers, buffered output
		echo 'options { flush-lines(1000); log-fifo-size(1000000); };'
		echo "source s { network(ip(127.0.0.1) port($2) transport(tcp) flags(no-parse) log-fetch-limit(1000) log-iw-size(100000) so-rcvbuf(8388608) max-connections(10));"
		echo "           network(ip(127.0.0.1) port($2) transport(udp) flags(no-parse) so-rcvbuf(8388608)); };"
		printf 'destination d { file("%s/out.log" template("${MESSAGE}\\n")); };\n' "$1"
		echo 'log { source(s); destination(d); flags(flow-control); };'
	else
		echo "source s { network(ip(127.0.0.1) port($2) transport(tcp));"
		echo "           network(ip(127.0.0.1) port($2) transport(udp)); };"
		echo "destination d { file(\"$1/out.log\"); };"
		echo 'log { source(s); destination(d); };'
	fi
}
