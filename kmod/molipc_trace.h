/* SPDX-License-Identifier: GPL-2.0 */
/*
 * molipc_trace.h - tracepoints of every IPC operation, for trace-cmd and
 * perf: "trace-cmd record -e molipc" (the paper's IPC tracing).
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM molipc

#if !defined(_MOLIPC_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _MOLIPC_TRACE_H

#include <linux/tracepoint.h>

TRACE_EVENT(molipc_call,
	TP_PROTO(u32 inst, int op, int caller, int endpoint, int src,
		 int m_type),
	TP_ARGS(inst, op, caller, endpoint, src, m_type),
	TP_STRUCT__entry(
		__field(u32, inst)
		__field(int, op)
		__field(int, caller)
		__field(int, endpoint)
		__field(int, src)
		__field(int, m_type)
	),
	TP_fast_assign(
		__entry->inst = inst;
		__entry->op = op;
		__entry->caller = caller;
		__entry->endpoint = endpoint;
		__entry->src = src;
		__entry->m_type = m_type;
	),
	TP_printk("inst=%u %s caller=%d endpoint=%d src=%d m_type=%d",
		  __entry->inst,
		  __print_symbolic(__entry->op,
				   { MOLIPC_OP_SEND, "send" },
				   { MOLIPC_OP_RECEIVE, "receive" },
				   { MOLIPC_OP_SENDREC, "sendrec" },
				   { MOLIPC_OP_NOTIFY, "notify" },
				   { MOLIPC_OP_SENDNB, "sendnb" },
				   { MOLIPC_OP_REPLY_RECV, "reply_recv" }),
		  __entry->caller, __entry->endpoint, __entry->src,
		  __entry->m_type)
);

TRACE_EVENT(molipc_return,
	TP_PROTO(u32 inst, int op, int caller, int result, int source),
	TP_ARGS(inst, op, caller, result, source),
	TP_STRUCT__entry(
		__field(u32, inst)
		__field(int, op)
		__field(int, caller)
		__field(int, result)
		__field(int, source)
	),
	TP_fast_assign(
		__entry->inst = inst;
		__entry->op = op;
		__entry->caller = caller;
		__entry->result = result;
		__entry->source = source;
	),
	TP_printk("inst=%u op=%d caller=%d result=%d source=%d",
		  __entry->inst, __entry->op, __entry->caller,
		  __entry->result, __entry->source)
);

TRACE_EVENT(molipc_deliver,
	TP_PROTO(u32 inst, int from, int to, int m_type, u32 status),
	TP_ARGS(inst, from, to, m_type, status),
	TP_STRUCT__entry(
		__field(u32, inst)
		__field(int, from)
		__field(int, to)
		__field(int, m_type)
		__field(u32, status)
	),
	TP_fast_assign(
		__entry->inst = inst;
		__entry->from = from;
		__entry->to = to;
		__entry->m_type = m_type;
		__entry->status = status;
	),
	TP_printk("inst=%u %d -> %d m_type=%d status=%#x",
		  __entry->inst, __entry->from, __entry->to,
		  __entry->m_type, __entry->status)
);

TRACE_EVENT(molipc_death,
	TP_PROTO(u32 inst, int endpoint, int pid, int status),
	TP_ARGS(inst, endpoint, pid, status),
	TP_STRUCT__entry(
		__field(u32, inst)
		__field(int, endpoint)
		__field(int, pid)
		__field(int, status)
	),
	TP_fast_assign(
		__entry->inst = inst;
		__entry->endpoint = endpoint;
		__entry->pid = pid;
		__entry->status = status;
	),
	TP_printk("inst=%u endpoint=%d pid=%d status=%#x",
		  __entry->inst, __entry->endpoint, __entry->pid,
		  __entry->status)
);

TRACE_EVENT(molipc_safecopy,
	TP_PROTO(u32 inst, int caller, int granter, int grant_id, u64 offset,
		 u64 len, u32 flags, int result),
	TP_ARGS(inst, caller, granter, grant_id, offset, len, flags, result),
	TP_STRUCT__entry(
		__field(u32, inst)
		__field(int, caller)
		__field(int, granter)
		__field(int, grant_id)
		__field(u64, offset)
		__field(u64, len)
		__field(u32, flags)
		__field(int, result)
	),
	TP_fast_assign(
		__entry->inst = inst;
		__entry->caller = caller;
		__entry->granter = granter;
		__entry->grant_id = grant_id;
		__entry->offset = offset;
		__entry->len = len;
		__entry->flags = flags;
		__entry->result = result;
	),
	TP_printk("inst=%u caller=%d %s granter=%d grant=%#x offset=%llu len=%llu result=%d",
		  __entry->inst, __entry->caller,
		  __entry->flags & MOLIPC_SAFECOPY_TO ? "to" : "from",
		  __entry->granter, __entry->grant_id, __entry->offset,
		  __entry->len, __entry->result)
);

#endif /* _MOLIPC_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE molipc_trace
#include <trace/define_trace.h>
