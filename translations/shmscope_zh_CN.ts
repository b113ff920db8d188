<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>Cli</name>
    <message>
        <source>Show this help and exit.</source>
        <translation>显示此帮助并退出。</translation>
    </message>
    <message>
        <source>Usage: %1 %2</source>
        <translation>用法：%1 %2</translation>
    </message>
    <message>
        <source>ADDRESS is [kind:]name with kind posix (the default), file, sysv or sysvid (see &apos;%1 --help&apos;).
Exit codes: 0 ok, 1 failure, 2 usage, 3 not found, 4 permission denied, 5 already exists.</source>
        <translation>ADDRESS 的格式为 [kind:]name，kind 可为 posix（默认）、file、sysv 或 sysvid（参见 “%1 --help”）。
退出码：0 成功，1 失败，2 用法错误，3 不存在，4 权限不足，5 已存在。</translation>
    </message>
    <message>
        <source>try &apos;%1 %2 --help&apos;</source>
        <translation>请尝试 “%1 %2 --help”</translation>
    </message>
    <message>
        <source>%1: %2 (%3)</source>
        <translation>%1: %2（%3）</translation>
    </message>
    <message>
        <source>%1: missing %2 (%3)</source>
        <translation>%1: 缺少 %2（%3）</translation>
    </message>
    <message>
        <source>%1: unexpected argument &apos;%2&apos; (%3)</source>
        <translation>%1: 多余的参数 “%2”（%3）</translation>
    </message>
    <message>
        <source>Usage: %1 COMMAND [options]
Inspect and change named shared memory: POSIX objects, memory-mapped files and System V segments.
</source>
        <translation>用法：%1 COMMAND [选项]
查看和修改命名共享内存：POSIX 共享内存对象、内存映射文件和 System V 共享内存段。
</translation>
    </message>
    <message>
        <source>Commands:</source>
        <translation>命令：</translation>
    </message>
    <message>
        <source>Run &apos;%1 COMMAND --help&apos; for the options of a command.</source>
        <translation>运行 “%1 COMMAND --help” 查看某个命令的选项。</translation>
    </message>
    <message>
        <source>Addresses: [kind:]name</source>
        <translation>地址：[kind:]name</translation>
    </message>
    <message>
        <source>  posix:/NAME   a POSIX shared memory object (/dev/shm/NAME); the default kind, the slash is optional
  file:PATH     a file mapped into memory
  sysv:KEY      a System V segment by key (decimal or 0x-hex)
  sysvid:ID     a System V segment by shmid
</source>
        <translation>  posix:/NAME   POSIX 共享内存对象（/dev/shm/NAME）；默认类型，开头的斜杠可省略
  file:PATH     映射到内存的文件（内存映射文件）
  sysv:KEY      按键值指定的 System V 共享内存段（十进制或 0x 十六进制）
  sysvid:ID     按 shmid 指定的 System V 共享内存段
</translation>
    </message>
    <message>
        <source>Sizes are bytes in decimal or 0x-hex, or decimal with a unit K, M or G (powers of 1024): 4096, 0x1000, 64K, 1G.
Offsets are decimal or 0x-hex: 16, 0x10.
</source>
        <translation>大小以字节为单位，可写为十进制或 0x 十六进制，也可写为十进制加单位 K、M 或 G（1024 的幂）：4096、0x1000、64K、1G。
偏移可写为十进制或 0x 十六进制：16、0x10。
</translation>
    </message>
    <message>
        <source>Exit codes:</source>
        <translation>退出码：</translation>
    </message>
    <message>
        <source>Options:</source>
        <translation>选项：</translation>
    </message>
    <message>
        <source>no command given (try &apos;%1 --help&apos;)</source>
        <translation>未指定命令（请尝试 “%1 --help”）</translation>
    </message>
    <message>
        <source>help: unknown command &apos;%1&apos; (try &apos;%2 --help&apos;)</source>
        <translation>help: 未知命令 “%1”（请尝试 “%2 --help”）</translation>
    </message>
    <message>
        <source>unknown option &apos;%1&apos;: the command comes first (try &apos;%2 --help&apos;)</source>
        <translation>未知选项 “%1”: 命令必须写在最前面（请尝试 “%2 --help”）</translation>
    </message>
    <message>
        <source>unknown command &apos;%1&apos; (try &apos;%2 --help&apos;)</source>
        <translation>未知命令 “%1”（请尝试 “%2 --help”）</translation>
    </message>
    <message>
        <source>no instances notified: %1</source>
        <translation>未通知任何实例: %1</translation>
    </message>
    <message>
        <source>notified 1 instance</source>
        <translation>已通知 1 个实例</translation>
    </message>
    <message>
        <source>notified %1 instances</source>
        <translation>已通知 %1 个实例</translation>
    </message>
    <message>
        <source>create %1: %2</source>
        <translation>create %1: %2</translation>
    </message>
    <message>
        <source>create %1: --size is required</source>
        <translation>create %1: 必须指定 --size</translation>
    </message>
    <message>
        <source>created %1: %2, mode %3</source>
        <translation>已创建 %1：%2，权限 %3</translation>
    </message>
    <message>
        <source>attached existing %1: %2, mode %3</source>
        <translation>已附加到现有的 %1：%2，权限 %3</translation>
    </message>
    <message>
        <source>(the requested size and mode were not applied)</source>
        <translation>（未应用所请求的大小和权限）</translation>
    </message>
    <message>
        <source>(the requested size was not applied)</source>
        <translation>（未应用所请求的大小）</translation>
    </message>
    <message>
        <source>(the requested mode was not applied)</source>
        <translation>（未应用所请求的权限）</translation>
    </message>
    <message>
        <source>read %1: --length: %2</source>
        <translation>read %1: --length: %2</translation>
    </message>
    <message>
        <source>read %1: the length must be at least 1 byte</source>
        <translation>read %1: 长度至少为 1 字节</translation>
    </message>
    <message>
        <source>read %1: offset %2 is past the end (size %3)</source>
        <translation>read %1: 偏移 %2 超出末尾（大小为 %3）</translation>
    </message>
    <message>
        <source>read %1: offset %2 + length %3 is past the end (size %4)</source>
        <translation>read %1: 偏移 %2 + 长度 %3 超出末尾（大小为 %4）</translation>
    </message>
    <message>
        <source>write %1: %2</source>
        <translation>write %1: %2</translation>
    </message>
    <message>
        <source>write %1: give exactly one of --text, --hex, --file or --stdin</source>
        <translation>write %1: --text、--hex、--file 和 --stdin 必须且只能指定其中一个</translation>
    </message>
    <message>
        <source>write %1: --no-nul only applies to --text</source>
        <translation>write %1: --no-nul 只能与 --text 一起使用</translation>
    </message>
    <message>
        <source>write %1: cannot open %2: %3</source>
        <translation>write %1: 无法打开 %2: %3</translation>
    </message>
    <message>
        <source>standard input</source>
        <translation>标准输入</translation>
    </message>
    <message>
        <source>write %1: cannot read %2: %3</source>
        <translation>write %1: 无法读取 %2: %3</translation>
    </message>
    <message>
        <source>write %1: nothing to write (%2 is empty)</source>
        <translation>write %1: 没有要写入的数据（%2 为空）</translation>
    </message>
    <message>
        <source>write %1: %2 at offset %3 do not fit in the object (size %4); nothing written</source>
        <translation>write %1: 在偏移 %3 处写入 %2 会超出对象范围（大小为 %4）；未写入任何内容</translation>
    </message>
    <message>
        <source>wrote %1 at offset %2 of %3 (%4)</source>
        <translation>已在 %3 的偏移 %2 处写入 %1（%4）</translation>
    </message>
    <message>
        <source>watch %1: invalid interval &apos;%2&apos;: expected milliseconds from 1 to 3600000</source>
        <translation>watch %1: 无效的间隔 “%2”: 应为 1 到 3600000 之间的毫秒数</translation>
    </message>
    <message>
        <source>watch %1: invalid count &apos;%2&apos;: expected a number of events of at least 1</source>
        <translation>watch %1: 无效的次数 “%2”: 应为不小于 1 的事件数</translation>
    </message>
    <message>
        <source>removed %1 (%2)</source>
        <translation>已删除 %1（%2）</translation>
    </message>
    <message>
        <source>removed %1</source>
        <translation>已删除 %1</translation>
    </message>
    <message>
        <source>Print JSON with exact numbers instead of text.</source>
        <translation>输出 JSON 而非文本，其中的数值为精确值。</translation>
    </message>
    <message>
        <source>Start at byte OFFSET of the object (decimal or 0x-hex; default 0).</source>
        <translation>从对象的第 OFFSET 字节开始（十进制或 0x 十六进制；默认为 0）。</translation>
    </message>
    <message>
        <source>List POSIX shared memory objects and System V segments</source>
        <translation>列出 POSIX 共享内存对象和 System V 共享内存段</translation>
    </message>
    <message>
        <source>Lists the POSIX objects in /dev/shm and the System V segments with their size, mode, owner,
last modification and the processes that map them now (PIDS; &apos;+N&apos;: attached processes
whose maps could not be read). Times are local.</source>
        <translation>列出 /dev/shm 中的 POSIX 对象和 System V 共享内存段，以及它们的大小、权限、属主、
最后修改时间和当前映射它们的进程（“进程”列中的 “+N” 表示另有 N 个已附加的进程，
但无法读取它们的 maps）。时间为本地时间。</translation>
    </message>
    <message>
        <source>Create an object (or attach an existing one with --exist-ok)</source>
        <translation>创建对象（或使用 --exist-ok 附加到已有对象）</translation>
    </message>
    <message>
        <source>Creates the object with the size and mode given; the mode is applied exactly, whatever the umask.
The backing store is reserved now, so a full /dev/shm fails here and not later.
For file: the file is created or grown to the size (never shrunk); without --size it keeps its own size.
Exit code 5 when the object exists, unless --exist-ok: then the existing object is kept as it is
(its size and mode win) and the command succeeds.</source>
        <translation>按给定的大小和权限创建对象；权限按原样设置，不受 umask 影响。
后备存储在创建时即被预留，因此 /dev/shm 空间不足会在此时报错，而不会在之后才失败。
对于 file:，文件会被创建或扩展到该大小（从不缩小）；不指定 --size 时保持其原有大小。
对象已存在时退出码为 5，除非指定了 --exist-ok：此时保留已有对象的原样
（以其自身的大小和权限为准），命令成功。</translation>
    </message>
    <message>
        <source>Size in bytes: decimal, 0x-hex, or with a unit K, M, G (powers of 1024).</source>
        <translation>以字节为单位的大小：十进制、0x 十六进制，或带单位 K、M、G（1024 的幂）。</translation>
    </message>
    <message>
        <source>Permission bits in octal (default 0600).</source>
        <translation>八进制权限位（默认 0600）。</translation>
    </message>
    <message>
        <source>Succeed and attach when the object already exists.</source>
        <translation>对象已存在时附加到该对象并返回成功。</translation>
    </message>
    <message>
        <source>Show an object&apos;s size, mode, owner, time and processes</source>
        <translation>显示对象的大小、权限、属主、时间和进程</translation>
    </message>
    <message>
        <source>Shows the address, size, mode, owner, last modification (local time) and the processes that map
the object now; for System V also the shmid and the attach count (nattch).</source>
        <translation>显示对象的地址、大小、权限、属主、最后修改时间（本地时间）以及当前映射该对象的进程；
对于 System V 共享内存段，还显示 shmid 和附加计数（nattch）。</translation>
    </message>
    <message>
        <source>Print bytes of an object as a hex dump, raw or as text</source>
        <translation>以十六进制转储、原始字节或文本形式输出对象的字节</translation>
    </message>
    <message>
        <source>Attaches read-only and prints bytes:
  hex   an xxd-style dump, 16 bytes per line, offsets relative to the object (the default)
  raw   the bytes themselves, for redirecting into a file or a pipe
  text  the NUL-terminated UTF-8 string at the offset, and a newline
Without --length, hex and raw go to the end of the object (streamed, however large it is) and
text stops at the first NUL or the end. An offset or length past the end is a usage error
(exit code 2) and prints nothing.</source>
        <translation>以只读方式附加并输出字节：
  hex   xxd 风格的转储，每行 16 字节，偏移相对于对象起始处（默认）
  raw   原始字节本身，用于重定向到文件或管道
  text  该偏移处以 NUL 结尾的 UTF-8 字符串，后跟一个换行符
不指定 --length 时，hex 和 raw 一直输出到对象末尾（流式输出，无论对象多大），
text 在第一个 NUL 或对象末尾处停止。偏移或长度超出末尾属于用法错误
（退出码 2），且不输出任何内容。</translation>
    </message>
    <message>
        <source>Number of bytes (decimal, 0x-hex, or with K, M, G); for text the most bytes to scan.</source>
        <translation>字节数（十进制、0x 十六进制，或带 K、M、G）；对于 text 为最多扫描的字节数。</translation>
    </message>
    <message>
        <source>Write bytes into an object and notify running instances</source>
        <translation>向对象写入字节并通知正在运行的实例</translation>
    </message>
    <message>
        <source>Write the UTF-8 text S and a NUL.</source>
        <translation>写入 UTF-8 文本 S 和一个 NUL。</translation>
    </message>
    <message>
        <source>With --text: do not write the terminating NUL.</source>
        <translation>与 --text 一起使用：不写入结尾的 NUL。</translation>
    </message>
    <message>
        <source>Write the bytes given in hex.</source>
        <translation>写入以十六进制给出的字节。</translation>
    </message>
    <message>
        <source>Write the contents of file F.</source>
        <translation>写入文件 F 的内容。</translation>
    </message>
    <message>
        <source>Write what is read from standard input.</source>
        <translation>写入从标准输入读取的内容。</translation>
    </message>
    <message>
        <source>Print each change to an object and each notification</source>
        <translation>输出对象的每次变化和每条通知</translation>
    </message>
    <message>
        <source>Poll every MS milliseconds (default 100).</source>
        <translation>每隔 MS 毫秒轮询一次（默认 100）。</translation>
    </message>
    <message>
        <source>Exit after N events.</source>
        <translation>在 N 个事件后退出。</translation>
    </message>
    <message>
        <source>Remove an object&apos;s name</source>
        <translation>删除对象的名称</translation>
    </message>
    <message>
        <source>Removes the object&apos;s name (shm_unlink, IPC_RMID, unlink for a file) and tells running instances.
Processes that have it mapped keep their view; a System V segment lives until the last detach.</source>
        <translation>删除对象的名称（shm_unlink、IPC_RMID，文件则为 unlink），并通知正在运行的实例。
已映射该对象的进程仍保留各自的视图；System V 共享内存段在最后一个进程分离后才会消失。</translation>
    </message>
    <message>
        <source>invalid hex bytes: &apos;%1&apos; has no digits</source>
        <translation>无效的十六进制字节: “%1” 中没有数字</translation>
    </message>
    <message>
        <source>invalid hex bytes: &apos;%1&apos; is not a hex digit (in &apos;%2&apos;)</source>
        <translation>无效的十六进制字节: “%1” 不是十六进制数字（位于 “%2” 中）</translation>
    </message>
    <message>
        <source>invalid hex bytes: &apos;%1&apos; has an odd number of hex digits</source>
        <translation>无效的十六进制字节: “%1” 的十六进制数字个数为奇数</translation>
    </message>
    <message>
        <source>invalid hex bytes: no bytes given</source>
        <translation>无效的十六进制字节: 未给出任何字节</translation>
    </message>
    <message>
        <source>ADDRESS</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>SIZE</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>MODE</source>
        <translation>权限</translation>
    </message>
    <message>
        <source>OWNER</source>
        <translation>属主</translation>
    </message>
    <message>
        <source>MODIFIED</source>
        <translation>修改时间</translation>
    </message>
    <message>
        <source>PIDS</source>
        <translation>进程</translation>
    </message>
    <message>
        <source>address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>mode</source>
        <translation>权限</translation>
    </message>
    <message>
        <source>owner</source>
        <translation>属主</translation>
    </message>
    <message>
        <source>%1 (uid %2)</source>
        <translation>%1（uid %2）</translation>
    </message>
    <message>
        <source>modified</source>
        <translation>修改</translation>
    </message>
    <message>
        <source>pids</source>
        <translation>进程</translation>
    </message>
    <message>
        <source>shmid</source>
        <translation>shmid</translation>
    </message>
    <message>
        <source>nattch</source>
        <translation>nattch</translation>
    </message>
    <message>
        <source>1 byte</source>
        <translation>1 字节</translation>
    </message>
    <message>
        <source>%1 bytes</source>
        <translation>%1 字节</translation>
    </message>
    <message>
        <source>watch %1: cannot handle signals: %2</source>
        <translation>watch %1: 无法处理信号: %2</translation>
    </message>
    <message>
        <source>watch %1: notifications unavailable (%2); changes are still found by polling</source>
        <translation>watch %1: 通知不可用（%2）；仍会通过轮询发现变化</translation>
    </message>
    <message>
        <source>watching %1 (%2)</source>
        <translation>正在监视 %1（%2）</translation>
    </message>
    <message>
        <source>resized: %1 (was %2)</source>
        <translation>大小已改变：%1（原为 %2）</translation>
    </message>
    <message>
        <source> (retrying)</source>
        <translation>（正在重试）</translation>
    </message>
    <message>
        <source>change offset=%1 length=%2 old=%3 new=%4</source>
        <translation>变化 offset=%1 length=%2 old=%3 new=%4</translation>
    </message>
    <message>
        <source>notification from pid %1: changed offset=%2 length=%3</source>
        <translation>来自 pid %1 的通知：已修改 offset=%2 length=%3</translation>
    </message>
    <message>
        <source>notification from pid %1: resized to %2</source>
        <translation>来自 pid %1 的通知：大小已改为 %2</translation>
    </message>
    <message>
        <source>notification from pid %1: removed</source>
        <translation>来自 pid %1 的通知：已删除</translation>
    </message>
    <message>
        <source>notification from pid %1: notices may have been missed; comparing everything</source>
        <translation>来自 pid %1 的通知：可能有通知遗漏，将比较全部内容</translation>
    </message>
    <message>
        <source>removed: %1</source>
        <translation>已删除：%1</translation>
    </message>
    <message>
        <source>%1 %2: %3</source>
        <translation>%1 %2: %3</translation>
    </message>
    <message>
        <source>Names are bytes. In what this tool prints, a byte that is not UTF-8 or a control character
(newline, tab, ESC …) is written \xHH, and a backslash that would start such an escape \\;
addresses take that form back, as well as the raw bytes: posix:/obj\xff is the object
whose name ends in the byte 0xff.
</source>
        <translation>名称是字节序列。本工具输出时，不属于 UTF-8 的字节或控制字符
（换行、制表符、ESC …）写作 \xHH，可能被当作此类转义开头的反斜杠写作 \\；
地址也接受这种形式以及原始字节：posix:/obj\xff 表示名称
以字节 0xff 结尾的对象。
</translation>
    </message>
    <message>
        <source>write %1: offset %2 is past the end (size %3); nothing written</source>
        <translation>write %1: 偏移 %2 超出末尾（大小为 %3）；未写入任何内容</translation>
    </message>
    <message>
        <source>write %1: more than %2 of %3 at offset %4 do not fit in the object (size %5); nothing written</source>
        <translation>write %1: %3 的数据超过 %2，在偏移 %4 处写入会超出对象范围（大小为 %5）；未写入任何内容</translation>
    </message>
    <message>
        <source>wrote %1 of %2 at offset %3 of %4 (%5)</source>
        <translation>已在 %4 的偏移 %3 处写入 %2 中的 %1（%5）</translation>
    </message>
    <message>
        <source>&apos;unknown (N processes could not be inspected)&apos;: processes of other users may map it, and
only root can tell. Names are printed with bytes that are not UTF-8 and control characters
as \xHH, one object per line; every command takes an address in that form.</source>
        <translation>“未知（有 N 个进程无法检查）”：其他用户的进程可能映射了该对象，
只有 root 才能确定。输出名称时，不属于 UTF-8 的字节和控制字符
写作 \xHH，每行一个对象；所有命令都接受这种形式的地址。</translation>
    </message>
    <message>
        <source>Attaches read-only, joins the object&apos;s notification bus (running shmscope instances count it as
a peer) and compares the object with what it last saw every MS milliseconds. Prints:
  watching ADDRESS (N bytes)                 once, when ready
  change offset=0x10 length=N old=.. new=..  a run of changed bytes
  notification from pid P: changed …         a notification; its range is compared at once
  resized: N bytes (was M bytes)             the object was truncated or grown
  removed: ADDRESS                           the object was removed; the watch ends
Byte lists longer than 16 bytes end in &apos;…&apos;. Stops with exit code 0 after N events (changes,
resizes and notifications) with --count, on SIGINT or SIGTERM, or when the object is removed.
Memory stays small whatever the object&apos;s size: it keeps a hash per block and a copy of at most
8 MiB of the object&apos;s data. A change in a block of which no copy is kept (only in objects with
more data than that) is printed as the whole block, with old=?. Holes are never read.</source>
        <translation>以只读方式附加，加入对象的通知总线（正在运行的 shmscope 实例会将其视为
一个对等实例），并每隔 MS 毫秒将对象与上次看到的内容进行比较。输出：
  正在监视 ADDRESS（N 字节）               准备就绪时输出一次
  变化 offset=0x10 length=N old=.. new=..  一段连续变化的字节
  来自 pid P 的通知：已修改 …              一条通知；立即比较其范围
  大小已改变：N 字节（原为 M 字节）        对象被截断或扩展
  已删除：ADDRESS                          对象已被删除；监视结束
超过 16 字节的字节列表以 “…” 结尾。以下情况以退出码 0 停止：指定 --count 时发生 N 个事件（变化、
大小改变和通知）后，收到 SIGINT 或 SIGTERM 时，或对象被删除时。
无论对象多大，内存占用都很小：每个块只保存一个哈希值，另外最多保存对象数据中
8 MiB 的副本。未保存副本的块（仅出现在数据量超过该值的对象中）发生变化时，
会输出整个块，并显示 old=?。从不读取空洞。</translation>
    </message>
    <message>
        <source>change offset=%1 length=%2 old=? new=%3</source>
        <translation>变化 offset=%1 length=%2 old=? new=%3</translation>
    </message>
    <message>
        <source>  0  success
  1  any other failure
  2  usage error: unknown command or option, bad number or address, offset or length past the end
  3  the object does not exist
  4  permission denied
  5  the object already exists
  6  diff: the comparison could not be made (there, 1 means &quot;different&quot;)
</source>
        <translation>  0  成功
  1  其他任何失败
  2  用法错误：未知命令或选项、数字或地址无效、偏移或长度超出末尾
  3  对象不存在
  4  权限不足
  5  对象已存在
  6  diff：无法进行比较（对 diff 而言，1 表示 “不同”）
</translation>
    </message>
    <message>
        <source>  -h, --help     Show this help and exit.
  -v, --version  Show the version and exit.
  --trace        Before the command: print every OS call the command makes to standard error,
                 as strace prints it (arguments decoded, result, error, time in the call).
</source>
        <translation>  -h, --help     显示此帮助并退出。
  -v, --version  显示版本并退出。
  --trace        写在命令之前：将该命令发出的每个操作系统调用输出到标准错误，
                 格式与 strace 相同（参数已解码，并包括结果、错误和调用耗时）。
</translation>
    </message>
    <message>
        <source>Examples:</source>
        <translation>示例：</translation>
    </message>
    <message>
        <source>  %1 create posix:/demo --size 64K --mode 0640
      Create a 64 KiB POSIX object that the owner&apos;s group may read.
  %1 write posix:/demo --offset 0x10 --text hello
      Write &quot;hello&quot; and a NUL at offset 16; running shmscope windows show it at once.
  %1 read posix:/demo --length 64
      Print the first 64 bytes as a hex dump.
  %1 watch sysv:0x2a --count 5
      Print the next 5 changes to the System V segment with key 0x2a.
  %1 info file:/var/tmp/data.bin --json
      Describe a file mapping, with its processes, as JSON.
  %1 remove posix:/demo
      Remove the object&apos;s name.
</source>
        <translation>  %1 create posix:/demo --size 64K --mode 0640
      创建一个 64 KiB 的 POSIX 对象，属主所在的组可以读取它。
  %1 write posix:/demo --offset 0x10 --text hello
      在偏移 16 处写入 “hello” 和一个 NUL；正在运行的 shmscope 窗口会立即显示。
  %1 read posix:/demo --length 64
      以十六进制转储形式输出前 64 个字节。
  %1 watch sysv:0x2a --count 5
      输出键值为 0x2a 的 System V 共享内存段接下来的 5 次变化。
  %1 info file:/var/tmp/data.bin --json
      以 JSON 形式描述一个文件映射及映射它的进程。
  %1 remove posix:/demo
      删除该对象的名称。
</translation>
    </message>
    <message>
        <source>read %1: unknown format &apos;%2&apos; (use hex, raw, text, c, python, base64, ihex or srec)</source>
        <translation>read %1: 未知格式 “%2”（请使用 hex、raw、text、c、python、base64、ihex 或 srec）</translation>
    </message>
    <message>
        <source>read %1: unknown access &apos;%2&apos; (use read-only, read-write or copy-on-write)</source>
        <translation>read %1: 未知访问方式 “%2”（请使用 read-only、read-write 或 copy-on-write）</translation>
    </message>
    <message>
        <source>wrote %1 in %2 blocks to %3 (%4)</source>
        <translation>已分 %2 个块将 %1 写入 %3（%4）</translation>
    </message>
    <message>
        <source>write %1: --format takes raw, hexdump, base64, ihex or srec, with --file or --stdin</source>
        <translation>write %1: --format 只接受 raw、hexdump、base64、ihex 或 srec，且须与 --file 或 --stdin 一起使用</translation>
    </message>
    <message>
        <source>write %1: %2: %3; nothing written</source>
        <translation>write %1: %2: %3；未写入任何内容</translation>
    </message>
    <message>
        <source>write %1: no bytes in %2; nothing written</source>
        <translation>write %1: %2 中没有字节；未写入任何内容</translation>
    </message>
    <message>
        <source>--processes: per view of the object in each process (this command&apos;s own view left out): range,
perms (rw-s shared, rw-p copy-on-write), backing, /proc/PID/smaps counters and page summary;
processes that could not be inspected are counted; a file&apos;s page cache (cachestat, Linux 6.5+).</source>
        <translation>--processes：列出各进程中该对象的每个视图（不含本命令自身的视图）：范围、
权限标志（rw-s 为共享，rw-p 为写时复制）、后备存储、/proc/PID/smaps 计数器和页摘要；
无法检查的进程会被计数；对于文件，还显示其页缓存（cachestat，Linux 6.5+）。</translation>
    </message>
    <message>
        <source>Output format: hex, raw, text, c, python, base64, ihex or srec (default hex).</source>
        <translation>输出格式：hex、raw、text、c、python、base64、ihex 或 srec（默认 hex）。</translation>
    </message>
    <message>
        <source>How to attach: read-only (the default), read-write or copy-on-write (to see, with --trace, what each access mode does).</source>
        <translation>附加方式：read-only（默认）、read-write 或 copy-on-write（配合 --trace 可查看每种访问方式实际做了什么）。</translation>
    </message>
    <message>
        <source>Attaches read-write, takes the object&apos;s lock (waiting at most 2 s), writes, flushes file-backed
objects to disk, and tells running shmscope instances and watchers which bytes changed.
--text writes the UTF-8 text and a terminating NUL, so that the text view and &apos;read --format text&apos;
show exactly that string; --no-nul leaves the NUL out. --hex takes &quot;de ad be ef&quot;, &quot;deadbeef&quot; or
&quot;de:ad:be:ef&quot;. --file and --stdin are read completely first, but never more than fits. Data that
does not fit between the offset and the end of the object is a usage error (exit code 2) and
nothing is written. When the backing store fills up midway (tmpfs has no page to give), the
bytes written so far stay, are announced, and the error says how many (exit code 1).
With --layout, writes one field of the layout attached at --offset: --field names it as &apos;decode&apos;
prints it (area1.values[2]), --value is its new value (a number, an enum label, true/false, text
for strings, hex for bytes), checked against the field&apos;s type, range and size before anything is
written; the field is decoded and written under the object&apos;s lock.</source>
        <translation>以读写方式附加，获取对象的锁（最多等待 2 秒），写入数据，将文件类对象刷写到磁盘，
并告知正在运行的 shmscope 实例和监视者哪些字节发生了变化。
--text 写入 UTF-8 文本和结尾的 NUL，使文本视图和 “read --format text” 显示的恰好是该字符串；
--no-nul 则不写入 NUL。--hex 接受 &quot;de ad be ef&quot;、&quot;deadbeef&quot; 或 &quot;de:ad:be:ef&quot;。
--file 和 --stdin 会先被完整读取，但读取量绝不超过可容纳的大小。无法放入偏移到对象末尾之间的
数据属于用法错误（退出码 2），且不写入任何内容。如果后备存储在写入中途耗尽（tmpfs 无法再提供页），
已写入的字节会保留并被通告，错误信息会说明写入了多少（退出码 1）。
使用 --layout 时，写入附加在 --offset 处的布局中的一个字段：--field 按 “decode” 输出的形式
指定字段（area1.values[2]），--value 为其新值（数字、枚举标签、true/false、字符串用文本、
字节用十六进制），在写入任何内容之前会按字段的类型、范围和大小进行检查；
字段的解码和写入都在对象的锁保护下进行。</translation>
    </message>
    <message>
        <source>A .ksy layout file or a built-in layout&apos;s name.</source>
        <translation>一个 .ksy 布局文件，或内置布局的名称。</translation>
    </message>
    <message>
        <source>The field to write, by its path.</source>
        <translation>要写入的字段，按其路径指定。</translation>
    </message>
    <message>
        <source>The field&apos;s new value.</source>
        <translation>字段的新值。</translation>
    </message>
    <message>
        <source>With --layout: a value for the layout&apos;s parameter ID.</source>
        <translation>与 --layout 一起使用：布局参数 ID 的值。</translation>
    </message>
    <message>
        <source>With --file/--stdin: the input is raw (default), hexdump (xxd), base64, ihex or srec. Addresses in hexdump/ihex/srec are used as offsets; with --offset the lowest lands there.</source>
        <translation>与 --file/--stdin 一起使用：输入格式为 raw（默认）、hexdump（xxd）、base64、ihex 或 srec。hexdump/ihex/srec 中的地址用作偏移；指定 --offset 时，最低的地址落在该偏移处。</translation>
    </message>
    <message>
        <source>%1: --older-than %2: not a duration (a number with s, m, h or d, e.g. 90s, 10m, 1h)</source>
        <translation>%1: --older-than %2: 不是有效的时长（数字后跟 s、m、h 或 d，例如 90s、10m、1h）</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 分钟</translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation>%1 小时</translation>
    </message>
    <message>
        <source>%1 days</source>
        <translation>%1 天</translation>
    </message>
    <message>
        <source>%1: %2, allocated %3, mode %4, owner %5, unchanged for %6</source>
        <translation>%1: %2，已分配 %3，权限 %4，属主 %5，未变化时长 %6</translation>
    </message>
    <message>
        <source>state: %1 (%2)</source>
        <translation>状态：%1（%2）</translation>
    </message>
    <message>
        <source>looks like a leftover of: %1</source>
        <translation>疑似残留自：%1</translation>
    </message>
    <message>
        <source>holders: none found</source>
        <translation>持有者：未找到</translation>
    </message>
    <message>
        <source>PID</source>
        <translation>PID</translation>
    </message>
    <message>
        <source>NAME</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>HOW</source>
        <translation>方式</translation>
    </message>
    <message>
        <source>usage: --top %1: not a count</source>
        <translation>用法错误：--top %1: 不是有效的数量</translation>
    </message>
    <message>
        <source>%1: size %2, used %3 (%4%), free %5</source>
        <translation>%1: 大小 %2，已用 %3（%4%），可用 %5</translation>
    </message>
    <message>
        <source>objects and semaphores take %1</source>
        <translation>对象和信号量共占用 %1</translation>
    </message>
    <message>
        <source>ALLOCATED</source>
        <translation>已分配</translation>
    </message>
    <message>
        <source>HOLDERS</source>
        <translation>持有者</translation>
    </message>
    <message>
        <source>clean: --name needs a pattern</source>
        <translation>clean: --name 需要一个模式</translation>
    </message>
    <message>
        <source> [leftover of %1]</source>
        <translation> [%1 的残留]</translation>
    </message>
    <message>
        <source>failed %1: %2</source>
        <translation>删除失败 %1: %2</translation>
    </message>
    <message>
        <source>removed %1: %2%3</source>
        <translation>已删除 %1: %2%3</translation>
    </message>
    <message>
        <source>removed %1: the QSharedMemory key file of %2</source>
        <translation>已删除 %1: %2 的 QSharedMemory 键文件</translation>
    </message>
    <message>
        <source>would remove %1: %2%3</source>
        <translation>将删除 %1: %2%3</translation>
    </message>
    <message>
        <source>kept %1: no longer stale when re-checked: %2 (%3)</source>
        <translation>已保留 %1: 重新检查时已不再陈旧: %2（%3）</translation>
    </message>
    <message>
        <source>%1 of %2 objects considered would be removed</source>
        <translation>在考虑的 %2 个对象中，将删除 %1 个</translation>
    </message>
    <message>
        <source>removed %1 of %2 objects considered</source>
        <translation>在考虑的 %2 个对象中，已删除 %1 个</translation>
    </message>
    <message>
        <source>%1; left alone: %2</source>
        <translation>%1；未处理：%2</translation>
    </message>
    <message>
        <source>%1: objects nobody was seen holding are &apos;unknown&apos;, not stale (other users&apos; processes need root, and some processes refuse inspection)</source>
        <translation>%1: 未发现任何持有者的对象状态为 “unknown” 而非陈旧（检查其他用户的进程需要 root 权限，且有些进程拒绝被检查）</translation>
    </message>
    <message>
        <source>Grace period: an object that changed more recently is never stale (90s, 10m, 1h, 2d; default 10m).</source>
        <translation>宽限期：在此期间内发生过变化的对象绝不会被视为陈旧（90s、10m、1h、2d；默认 10m）。</translation>
    </message>
    <message>
        <source>An object is stale only when no process maps it or holds a descriptor to it (matched by device and
inode), every process could be inspected (else its state is &apos;unknown&apos;), and it has not changed for
the grace period. A System V segment with no attached process is &apos;unattached&apos;, and stale only when
the processes that made it and last used it are gone too: some programs keep segments on purpose.</source>
        <translation>只有当没有任何进程映射该对象或持有其描述符（按设备号和 inode 匹配）、所有进程都能被检查
（否则其状态为 “unknown”），并且对象在宽限期内没有变化时，它才是陈旧的。没有附加进程的
System V 共享内存段状态为 “unattached”，只有当创建它和最后使用它的进程也都已不存在时才算陈旧：
有些程序会有意保留共享内存段。</translation>
    </message>
    <message>
        <source>Show every process that maps an object or holds a descriptor to it</source>
        <translation>显示映射某个对象或持有其描述符的每个进程</translation>
    </message>
    <message>
        <source>Reads /proc once: each process&apos;s maps (shared read-write, read-only or private mappings) and its
open descriptors, and prints pid, command name and how it holds the object, then the object&apos;s
state (in use, recent, unattached, unknown, stale, removing) and why. Processes that could not be
inspected (other users&apos; processes when not root, or ones that took too long) are counted.</source>
        <translation>只读取一次 /proc：每个进程的 maps（共享读写、只读或私有映射）及其打开的描述符，
输出 pid、命令名以及它如何持有该对象，然后输出对象的状态（in use、recent、unattached、
unknown、stale、removing）及原因。无法检查的进程（非 root 时其他用户的进程，
或耗时过长的进程）会被计数。</translation>
    </message>
    <message>
        <source>Show how full /dev/shm is and which objects take the most memory</source>
        <translation>显示 /dev/shm 的占用情况以及哪些对象占用内存最多</translation>
    </message>
    <message>
        <source>Prints the size, used and free bytes of the tmpfs behind /dev/shm, then its largest objects and
semaphores by allocated memory (st_blocks: a sparse object takes less than its size) with their
owners and holders.</source>
        <translation>输出 /dev/shm 背后的 tmpfs 的大小、已用和可用字节数，然后按已分配内存（st_blocks：
稀疏对象占用的内存少于其大小）列出最大的对象和信号量，以及它们的属主和持有者。</translation>
    </message>
    <message>
        <source>List the N largest objects (default 10).</source>
        <translation>列出最大的 N 个对象（默认 10）。</translation>
    </message>
    <message>
        <source>Remove stale objects (left over by programs that are gone)</source>
        <translation>删除陈旧对象（已退出的程序遗留下来的对象）</translation>
    </message>
    <message>
        <source>Only print what would be removed.</source>
        <translation>只输出将要删除的内容。</translation>
    </message>
    <message>
        <source>%1 %2: give --layout FILE.ksy or a built-in layout&apos;s name</source>
        <translation>%1 %2: 请用 --layout 指定 FILE.ksy 或内置布局的名称</translation>
    </message>
    <message>
        <source>%1 %2: layout %3</source>
        <translation>%1 %2: 布局 %3</translation>
    </message>
    <message>
        <source>%1 %2: --param wants ID=INTEGER, not &apos;%3&apos;</source>
        <translation>%1 %2: --param 需要 ID=INTEGER 形式，而不是 “%3”</translation>
    </message>
    <message>
        <source>%1 %2: --param %3: %4</source>
        <translation>%1 %2: --param %3: %4</translation>
    </message>
    <message>
        <source>%1 %2: the layout&apos;s parameter &apos;%3&apos; needs a value: give --param %3=VALUE</source>
        <translation>%1 %2: 布局参数 “%3” 需要一个值：请指定 --param %3=VALUE</translation>
    </message>
    <message>
        <source>%1 %2: parameter &apos;%3&apos; comes from %4, which cannot be read</source>
        <translation>%1 %2: 参数 “%3” 来自 %4，但无法读取它</translation>
    </message>
    <message>
        <source>%1 %2: the layout has no parameter &apos;%3&apos;</source>
        <translation>%1 %2: 布局中没有参数 “%3”</translation>
    </message>
    <message>
        <source>decode %1: %2</source>
        <translation>decode %1: %2</translation>
    </message>
    <message>
        <source>decode %1: --elements: %2</source>
        <translation>decode %1: --elements: %2</translation>
    </message>
    <message>
        <source>decode %1: offset %2 is past the end (size %3)</source>
        <translation>decode %1: 偏移 %2 超出末尾（大小为 %3）</translation>
    </message>
    <message>
        <source>decode %1: %2: %3</source>
        <translation>decode %1: %2: %3</translation>
    </message>
    <message>
        <source>write %1: --%2 does not go with --layout/--field/--value</source>
        <translation>write %1: --%2 不能与 --layout/--field/--value 一起使用</translation>
    </message>
    <message>
        <source>write %1: give --layout, --field and --value together</source>
        <translation>write %1: --layout、--field 和 --value 必须同时指定</translation>
    </message>
    <message>
        <source> (decoding stopped at %1: %2)</source>
        <translation>（解码在 %1 处停止: %2）</translation>
    </message>
    <message>
        <source>write %1: layout %2 has no field &apos;%3&apos; here%4; nothing written</source>
        <translation>write %1: 布局 %2 在此处没有字段 “%3”%4；未写入任何内容</translation>
    </message>
    <message>
        <source>write %1: %2; nothing written</source>
        <translation>write %1: %2；未写入任何内容</translation>
    </message>
    <message>
        <source>wrote %1 = %2 (%3 at offset %4 of %5; %6)</source>
        <translation>已写入 %1 = %2（%3，位于 %5 的偏移 %4 处；%6）</translation>
    </message>
    <message>
        <source>Print JSON instead of text.</source>
        <translation>输出 JSON 而非文本。</translation>
    </message>
    <message>
        <source>Show an object&apos;s bytes as the fields of a Kaitai Struct (.ksy) layout</source>
        <translation>将对象的字节按 Kaitai Struct（.ksy）布局的字段显示</translation>
    </message>
    <message>
        <source>Attaches read-only and decodes the object from offset O (default 0) through the layout: a .ksy
file or a built-in layout (&apos;layouts&apos; lists them). Prints the tree of fields, one a line with its
type, value and byte range (@offset+size), or with --json nested objects with type, offset, size
and value (&quot;fields&quot; of a struct, &quot;elements&quot; of an array). Arrays list at most N elements
(default 1000). A layout parameter comes from --param, or from the mapping its -shm-param names.
Bytes that do not fit the layout (past the end, wrong magic) give the tree decoded so far, the
error at the field where it happened, and exit code 1; a bad layout is a usage error (2).</source>
        <translation>以只读方式附加，并从偏移 O（默认 0）开始按布局解码对象：布局可以是 .ksy 文件或内置布局
（用 “layouts” 列出）。输出字段树，每行一个字段，包含其类型、值和字节范围（@offset+size）；
或使用 --json 输出嵌套对象，包含 type、offset、size 和 value（结构体的 “fields”、
数组的 “elements”）。数组最多列出 N 个元素（默认 1000）。布局参数来自 --param，
或来自其 -shm-param 所指定的映射。与布局不符的字节（超出末尾、magic 不符）会得到已解码
部分的字段树、出错字段处的错误信息，以及退出码 1；布局本身有误属于用法错误（2）。</translation>
    </message>
    <message>
        <source>A .ksy file or a built-in layout&apos;s name.</source>
        <translation>一个 .ksy 文件，或内置布局的名称。</translation>
    </message>
    <message>
        <source>Where the layout starts in the object (decimal or 0x-hex; default 0).</source>
        <translation>布局在对象中的起始位置（十进制或 0x 十六进制；默认 0）。</translation>
    </message>
    <message>
        <source>A value for the layout&apos;s parameter ID.</source>
        <translation>布局参数 ID 的值。</translation>
    </message>
    <message>
        <source>List at most N elements of each array.</source>
        <translation>每个数组最多列出 N 个元素。</translation>
    </message>
    <message>
        <source>List the built-in layouts for decode</source>
        <translation>列出可供 decode 使用的内置布局</translation>
    </message>
    <message>
        <source>Lists the layouts compiled into ShmScope, by name and title; &apos;decode --layout NAME&apos; uses one.</source>
        <translation>按名称和标题列出编译进 ShmScope 的布局；“decode --layout NAME” 可使用其中之一。</translation>
    </message>
    <message>
        <source>pid %1 (%2) %3-%4 %5 offset %6</source>
        <translation>pid %1（%2）%3-%4 %5 偏移 %6</translation>
    </message>
    <message>
        <source>%1 written since the last reset</source>
        <translation>自上次重置以来写入了 %1 页</translation>
    </message>
    <message>
        <source>written since reset: not tracked by this kernel (soft-dirty)</source>
        <translation>自重置以来的写入：此内核不跟踪（soft-dirty）</translation>
    </message>
    <message>
        <source>%1 pages: %2; %3</source>
        <translation>共 %1 页：%2；%3</translation>
    </message>
    <message>
        <source>page %1</source>
        <translation>页 %1</translation>
    </message>
    <message>
        <source>pages %1-%2</source>
        <translation>页 %1-%2</translation>
    </message>
    <message>
        <source>, written since the last reset</source>
        <translation>，自上次重置以来已被写入</translation>
    </message>
    <message>
        <source>summary: %1</source>
        <translation>摘要：%1</translation>
    </message>
    <message>
        <source>pages %1: %2</source>
        <translation>pages %1: %2</translation>
    </message>
    <message>
        <source>pages %1: --pid takes a process id, not &apos;%2&apos;</source>
        <translation>pages %1: --pid 需要进程 ID，而不是 “%2”</translation>
    </message>
    <message>
        <source>pages %1: offset %2 + length %3 is outside pid %4&apos;s view (bytes %5 to %6)</source>
        <translation>pages %1: 偏移 %2 + 长度 %3 超出 pid %4 的视图（字节 %5 到 %6）</translation>
    </message>
    <message>
        <source>Show the mapping card of every process that maps the object: its view (range, perms), backing, smaps counters and pages; for a file the page cache.</source>
        <translation>显示映射该对象的每个进程的映射卡片：其视图（范围、权限标志）、后备存储、smaps 计数器和页；对于文件还显示页缓存。</translation>
    </message>
    <message numerus="yes">
        <source>%1: %2, %3, mapped by %n view(s)</source>
        <translation>
            <numerusform>%1: %2，%3，被 %n 个视图映射</numerusform>
        </translation>
    </message>
    <message>
        <source>  Rss %1, Pss %2, Shared clean %3, Shared dirty %4, Private clean %5, Private dirty %6, Anonymous %7, Swap %8</source>
        <translation>  Rss %1，Pss %2，共享干净 %3，共享脏 %4，私有干净 %5，私有脏 %6，匿名 %7，交换 %8</translation>
    </message>
    <message>
        <source>  smaps: %1</source>
        <translation>  smaps: %1</translation>
    </message>
    <message>
        <source>  pages: %1 present, %2 private copies, %3 swapped, %4 not present</source>
        <translation>  页：%1 个驻留，%2 个私有副本，%3 个已换出，%4 个未驻留</translation>
    </message>
    <message>
        <source>  pages: %1</source>
        <translation>  页：%1</translation>
    </message>
    <message>
        <source>other processes: not searched on this system (they may map it too)</source>
        <translation>其他进程：在此系统上未搜索（它们也可能映射了该对象）</translation>
    </message>
    <message numerus="yes">
        <source>not inspected: %n process(es) this user may not inspect could map it too</source>
        <translation>
            <numerusform>未检查：本用户无权检查的 %n 个进程也可能映射了该对象</numerusform>
        </translation>
    </message>
    <message>
        <source>page cache: %1 pages cached, %2 dirty, %3 under writeback</source>
        <translation>页缓存：%1 页已缓存，%2 页为脏页，%3 页正在回写</translation>
    </message>
    <message>
        <source>page cache: %1</source>
        <translation>页缓存：%1</translation>
    </message>
    <message>
        <source>Show which pages of a view are present, shared, private copies or swapped</source>
        <translation>显示视图中哪些页驻留、共享、为私有副本或已换出</translation>
    </message>
    <message>
        <source>Prints the state of each page of a view of the object, as runs of pages in one state:
  not present   not in the process&apos;s page table (never touched there)
  shared        the object&apos;s own page, mapped by another view or process too
  exclusive     the object&apos;s own page, mapped only by this view
  private copy  a copy-on-write view&apos;s own copy of a page it wrote (no longer the object&apos;s)
  swapped       a private copy written out to swap
Without --pid: this command&apos;s own (read-only, fresh) view. With --pid: every view of the object
in that process (found in /proc/PID/maps by device and inode), e.g. a program that mapped it
MAP_PRIVATE and wrote page 3 shows page 3 as a private copy. Another user&apos;s process (without
root) cannot be inspected: exit code 4. A process that does not map the object: exit code 3.
Source: /proc/PID/pagemap (Documentation/admin-guide/mm/pagemap.rst).</source>
        <translation>以连续的同状态页段为单位，输出对象某个视图中每一页的状态：
  not present   不在进程的页表中（在该进程中从未被访问过）
  shared        对象自身的页，同时也被另一个视图或进程映射
  exclusive     对象自身的页，仅被此视图映射
  private copy  写时复制视图对其写过的页所做的私有副本（已不再是对象的页）
  swapped       已写出到交换区的私有副本
不指定 --pid：使用本命令自身的（只读、新建的）视图。指定 --pid：该进程中该对象的每个视图
（在 /proc/PID/maps 中按设备号和 inode 查找），例如某程序以 MAP_PRIVATE 映射了该对象并写了
第 3 页，则第 3 页显示为私有副本。无法检查其他用户的进程（非 root 时）：退出码 4。
进程未映射该对象：退出码 3。
来源：/proc/PID/pagemap（Documentation/admin-guide/mm/pagemap.rst）。</translation>
    </message>
    <message>
        <source>Show process PID&apos;s view(s) of the object.</source>
        <translation>显示进程 PID 中该对象的视图。</translation>
    </message>
    <message>
        <source>Start at byte OFFSET of the object (default: where the view starts).</source>
        <translation>从对象的第 OFFSET 字节开始（默认：视图的起始处）。</translation>
    </message>
    <message>
        <source>Number of bytes (default: to the end of the view); rounded out to pages.</source>
        <translation>字节数（默认：到视图末尾）；向外扩展到整页。</translation>
    </message>
    <message>
        <source>%1 candidate(s) after %2 scan(s)</source>
        <translation>%2 次扫描后剩余 %1 个候选</translation>
    </message>
    <message>
        <source>… %1 more (--limit)</source>
        <translation>… 还有 %1 个（--limit）</translation>
    </message>
    <message>
        <source>scan %1: give -o STATE for a first scan or --state STATE for a next scan</source>
        <translation>scan %1: 首次扫描请指定 -o STATE，再次扫描请指定 --state STATE</translation>
    </message>
    <message>
        <source>scan %1: --range takes LOW..HIGH</source>
        <translation>scan %1: --range 需要 LOW..HIGH 形式</translation>
    </message>
    <message>
        <source>scan %1: give one test: --changed, --unchanged, --increased, --decreased, --increased-by N, --decreased-by N, --value V or --range LOW..HIGH</source>
        <translation>scan %1: 请指定一个测试：--changed、--unchanged、--increased、--decreased、--increased-by N、--decreased-by N、--value V 或 --range LOW..HIGH</translation>
    </message>
    <message>
        <source>scan %1: give one of --value V, --range LOW..HIGH or --unknown</source>
        <translation>scan %1: 请指定 --value V、--range LOW..HIGH 或 --unknown 之一</translation>
    </message>
    <message>
        <source>scan %1: the state %2 is of %3</source>
        <translation>scan %1: 状态文件 %2 属于 %3</translation>
    </message>
    <message>
        <source>scan %1: the object shrank to %2 since the first scan (%3)</source>
        <translation>scan %1: 自首次扫描以来对象已缩小到 %2（%3）</translation>
    </message>
    <message>
        <source>scan %1: --%2 belongs to the first scan</source>
        <translation>scan %1: --%2 只用于首次扫描</translation>
    </message>
    <message>
        <source>scan %1: unknown type &apos;%2&apos; (use i8, u8, i16, u16, i32, u32, i64, u64, f32 or f64)</source>
        <translation>scan %1: 未知类型 “%2”（请使用 i8、u8、i16、u16、i32、u32、i64、u64、f32 或 f64）</translation>
    </message>
    <message>
        <source>scan %1: --step: %2</source>
        <translation>scan %1: --step: %2</translation>
    </message>
    <message>
        <source>must be at least 1</source>
        <translation>必须至少为 1</translation>
    </message>
    <message>
        <source>First scan: write the scan state to FILE (must not exist).</source>
        <translation>首次扫描：将扫描状态写入 FILE（FILE 不得已存在）。</translation>
    </message>
    <message>
        <source>Next scan: narrow the scan state in FILE (rewritten).</source>
        <translation>再次扫描：缩小 FILE 中的扫描状态（FILE 会被重写）。</translation>
    </message>
    <message>
        <source>First scan: value type i8, u8, i16, u16, i32, u32, i64, u64, f32 or f64 (default u32).</source>
        <translation>首次扫描：值类型为 i8、u8、i16、u16、i32、u32、i64、u64、f32 或 f64（默认 u32）。</translation>
    </message>
    <message>
        <source>First scan: values are big-endian (default little).</source>
        <translation>首次扫描：值为大端序（默认小端序）。</translation>
    </message>
    <message>
        <source>First scan: bytes between candidates (default the type&apos;s width: aligned; 1 finds unaligned values).</source>
        <translation>首次扫描：候选之间的字节间隔（默认为类型宽度，即对齐；1 可找到未对齐的值）。</translation>
    </message>
    <message>
        <source>Keep values equal to V.</source>
        <translation>保留等于 V 的值。</translation>
    </message>
    <message>
        <source>Keep values from LOW to HIGH (inclusive).</source>
        <translation>保留 LOW 到 HIGH 之间的值（含两端）。</translation>
    </message>
    <message>
        <source>First scan: keep every value (unknown initial value).</source>
        <translation>首次扫描：保留所有值（初始值未知）。</translation>
    </message>
    <message>
        <source>Keep values that changed since the last scan.</source>
        <translation>保留自上次扫描以来发生变化的值。</translation>
    </message>
    <message>
        <source>Keep values that did not change.</source>
        <translation>保留未发生变化的值。</translation>
    </message>
    <message>
        <source>Keep values that grew.</source>
        <translation>保留增大的值。</translation>
    </message>
    <message>
        <source>Keep values that shrank.</source>
        <translation>保留减小的值。</translation>
    </message>
    <message>
        <source>Keep values that grew by exactly N.</source>
        <translation>保留恰好增大 N 的值。</translation>
    </message>
    <message>
        <source>Keep values that shrank by exactly N.</source>
        <translation>保留恰好减小 N 的值。</translation>
    </message>
    <message>
        <source>Print at most N candidates (default 20).</source>
        <translation>最多输出 N 个候选（默认 20）。</translation>
    </message>
    <message>
        <source>Print JSON (offsets and the count as strings).</source>
        <translation>输出 JSON（偏移和数量以字符串表示）。</translation>
    </message>
    <message>
        <source>Find where a value lives: a first scan, then next scans that narrow the candidates</source>
        <translation>查找某个值的存放位置：先进行首次扫描，再通过再次扫描缩小候选范围</translation>
    </message>
    <message>
        <source>The Cheat Engine / scanmem workflow on a shared object. The first scan (-o STATE) keeps the offsets
whose value is V, in a range, or any value (--unknown), and writes them with their values to STATE.
Each next scan (--state STATE) keeps those whose value passes TEST against the value the last scan
saw: --changed, --unchanged, --increased, --decreased, --increased-by N, --decreased-by N, --value V,
--range L..H; then STATE holds the rest. Prints the count and the first candidates with their value
now and when scanned. Values are aligned to their width unless --step says otherwise. Memory: one
bit per candidate offset; the previous values stay in STATE on disk (after --unknown, as large as
the object). Holes are read as zeros without being touched.</source>
        <translation>在共享对象上使用 Cheat Engine / scanmem 的工作流程。首次扫描（-o STATE）保留值等于 V、
在某个范围内或为任意值（--unknown）的偏移，并将它们连同其值写入 STATE。
每次再次扫描（--state STATE）保留其值与上次扫描所见的值相比通过 TEST 的偏移：
--changed、--unchanged、--increased、--decreased、--increased-by N、--decreased-by N、--value V、
--range L..H；之后 STATE 保存剩下的偏移。输出候选数量，以及前若干个候选的当前值和扫描时的值。
除非 --step 另有指定，值按其宽度对齐。内存：每个候选偏移占一位；之前的值保存在磁盘上的
STATE 中（使用 --unknown 后，其大小与对象相同）。空洞按零读取，但不会被访问。</translation>
    </message>
    <message>
        <source>snapshot %1: --offset: %2</source>
        <translation>snapshot %1: --offset: %2</translation>
    </message>
    <message>
        <source>snapshot %1: --length: %2</source>
        <translation>snapshot %1: --length: %2</translation>
    </message>
    <message>
        <source>must be at least 1 byte</source>
        <translation>必须至少为 1 字节</translation>
    </message>
    <message>
        <source>snapshot %1: offset %2 + length %3 is past the end (size %4)</source>
        <translation>snapshot %1: 偏移 %2 + 长度 %3 超出末尾（大小为 %4）</translation>
    </message>
    <message>
        <source>snapshot of %1 (%2 at offset %3) written to %4, hash %5</source>
        <translation>%1 的快照（偏移 %3 处的 %2）已写入 %4，哈希值 %5</translation>
    </message>
    <message>
        <source>diff: %1 is neither a snapshot file nor an address (%2)</source>
        <translation>diff: %1 既不是快照文件也不是地址（%2）</translation>
    </message>
    <message>
        <source>diff: --bytes: expected a number of bytes from 0 to 1048576, got &apos;%1&apos;</source>
        <translation>diff: --bytes: 应为 0 到 1048576 之间的字节数，实际为 “%1”</translation>
    </message>
    <message>
        <source>equal: %1 and %2 (%3)</source>
        <translation>相同：%1 和 %2（%3）</translation>
    </message>
    <message numerus="yes">
        <source>%1 and %2 differ: %n range(s)</source>
        <translation>
            <numerusform>%1 和 %2 不同：%n 个范围</numerusform>
        </translation>
    </message>
    <message>
        <source>Save an object&apos;s bytes (or a range) with their address, time and hash to a file</source>
        <translation>将对象的字节（或某个范围）连同其地址、时间和哈希值保存到文件</translation>
    </message>
    <message>
        <source>Attaches read-only and copies the bytes into a new snapshot file (never replacing one), under the
object&apos;s read lock where it can be had (no ShmScope writer midway). Holes stay holes: a sparse
object gives a sparse file, and its holes are not touched. The file starts with a 4 KiB text
header (address, offset, size, time, pid, xxh3 hash); &apos;diff&apos; takes it in place of an address.
Without -o the file is NAME-YYYYMMDD-HHMMSS.shmsnap in the current folder (UTC time).</source>
        <translation>以只读方式附加，并将字节复制到一个新的快照文件中（绝不替换已有文件），能获取对象的读锁时
在读锁保护下进行（期间不会有 ShmScope 写入者）。空洞保持为空洞：稀疏对象生成稀疏文件，且不会
访问其空洞。文件以 4 KiB 的文本头开始（地址、偏移、大小、时间、pid、xxh3 哈希值）；“diff” 可以
用它代替地址。不指定 -o 时，文件为当前文件夹中的 NAME-YYYYMMDD-HHMMSS.shmsnap（UTC 时间）。</translation>
    </message>
    <message>
        <source>Write the snapshot to FILE (must not exist).</source>
        <translation>将快照写入 FILE（FILE 不得已存在）。</translation>
    </message>
    <message>
        <source>First byte of the range (default 0).</source>
        <translation>范围的第一个字节（默认 0）。</translation>
    </message>
    <message>
        <source>Bytes in the range (default: to the end).</source>
        <translation>范围内的字节数（默认：到末尾）。</translation>
    </message>
    <message>
        <source>Print the header as JSON.</source>
        <translation>以 JSON 格式输出文件头。</translation>
    </message>
    <message>
        <source>Compare two objects or snapshots byte by byte</source>
        <translation>逐字节比较两个对象或快照</translation>
    </message>
    <message>
        <source>A and B are addresses or snapshot files (a file that starts with a snapshot header is a snapshot;
anything else is an address). Compares byte by byte at the same offsets and prints each run of
differing bytes:
  changed offset=0x10 length=4 old=01020304 new=05060708
  only-in-a / only-in-b  the tail of the longer side
A live object compared with a snapshot of a range is compared over that range; offsets are the
object&apos;s. Holes on both sides are not read. Exit code 0 when equal, 1 when they differ (as cmp),
2 usage, 3 not found, 4 permission denied, 6 any other failure.</source>
        <translation>A 和 B 为地址或快照文件（以快照文件头开始的文件视为快照；其他一律视为地址）。
在相同偏移处逐字节比较，并输出每一段连续的不同字节：
  changed offset=0x10 length=4 old=01020304 new=05060708
  only-in-a / only-in-b  较长一方多出的尾部
实时对象与某个范围的快照比较时，只比较该范围；偏移为对象中的偏移。
两侧都是空洞的部分不会被读取。相同时退出码为 0，不同时为 1（与 cmp 一样），
2 为用法错误，3 为不存在，4 为权限不足，6 为其他任何失败。</translation>
    </message>
    <message>
        <source>Print JSON (offsets and lengths as strings).</source>
        <translation>输出 JSON（偏移和长度以字符串表示）。</translation>
    </message>
    <message>
        <source>Show at most N bytes of each side per range (default 16).</source>
        <translation>每个范围的每一侧最多显示 N 字节（默认 16）。</translation>
    </message>
    <message>
        <source>the key file %1 (its semaphore set is gone)</source>
        <translation>键文件 %1（其信号量集已不存在）</translation>
    </message>
    <message>
        <source>semaphore set %1 (key 0x%2)</source>
        <translation>信号量集 %1（键值 0x%2）</translation>
    </message>
    <message>
        <source>removed %1: %2 [leftover of QSystemSemaphore]</source>
        <translation>已删除 %1: %2 [QSystemSemaphore 的残留]</translation>
    </message>
    <message>
        <source>removed %1: the QSystemSemaphore key file of semaphore set %2</source>
        <translation>已删除 %1: 信号量集 %2 的 QSystemSemaphore 键文件</translation>
    </message>
    <message>
        <source>would remove %1: %2 [leftover of QSystemSemaphore]</source>
        <translation>将删除 %1: %2 [QSystemSemaphore 的残留]</translation>
    </message>
    <message>
        <source>%1 of %2 QSystemSemaphore leftovers considered would be removed</source>
        <translation>在考虑的 %2 个 QSystemSemaphore 残留中，将删除 %1 个</translation>
    </message>
    <message>
        <source>removed %1 of %2 QSystemSemaphore leftovers considered</source>
        <translation>在考虑的 %2 个 QSystemSemaphore 残留中，已删除 %1 个</translation>
    </message>
    <message>
        <source>Each object found stale is listed and judged again just before it is removed, and removed only if
it is still stale and still the same object; everything else is left alone. A QSharedMemory key
file (qipc_sharedmemory_* in the temporary folder) goes with its segment. glibc semaphores
(sem.*) and files are never removed. QSystemSemaphore leftovers (qipc_systemsem_* key files and
their System V semaphore sets) are removed when nobody waits on the set, the processes that last
used it are gone, its QSharedMemory segment (if any) is unused, and it is past the grace period.
Prints each object removed and why; exit code 1 when a removal failed.</source>
        <translation>每个被判定为陈旧的对象都会被列出，并在删除前再次判定，只有仍然陈旧且仍是同一个对象时
才会被删除；其他一律保持不动。QSharedMemory 键文件（临时文件夹中的 qipc_sharedmemory_*）
随其共享内存段一起删除。glibc 信号量（sem.*）和文件从不删除。QSystemSemaphore 残留
（qipc_systemsem_* 键文件及其 System V 信号量集）在以下条件都满足时删除：没有进程在等待
该信号量集，最后使用它的进程都已不存在，其 QSharedMemory 共享内存段（如有）未被使用，
并且已超过宽限期。
输出每个被删除的对象及原因；有删除失败时退出码为 1。</translation>
    </message>
    <message>
        <source>Consider only objects whose address (posix:/NAME, sysv:0xKEY), POSIX name, or QSharedMemory or QSystemSemaphore key file name matches GLOB (repeatable).</source>
        <translation>只考虑地址（posix:/NAME、sysv:0xKEY）、POSIX 名称或 QSharedMemory、QSystemSemaphore 键文件名与 GLOB 匹配的对象（可重复指定）。</translation>
    </message>
    <message numerus="yes">
        <source>unknown (%n process(es) could not be inspected)</source>
        <translation>
            <numerusform>未知（有 %n 个进程无法检查）</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>QAccessibleWidget</name>
    <message>
        <source>empty</source>
        <translation>空</translation>
    </message>
    <message>
        <source>offset %1: unreadable</source>
        <translation>偏移 %1: 无法读取</translation>
    </message>
    <message>
        <source>offset %1: %2 &apos;%3&apos;</source>
        <translation>偏移 %1: %2 “%3”</translation>
    </message>
    <message>
        <source>offset %1: %2</source>
        <translation>偏移 %1: %2</translation>
    </message>
    <message>
        <source>Hex view</source>
        <translation>十六进制视图</translation>
    </message>
    <message>
        <source>%1 bytes, %2 a row</source>
        <translation>%1 字节，每行 %2 字节</translation>
    </message>
    <message>
        <source>selected %1 to %2, %3 bytes</source>
        <translation>已选择 %1 到 %2，共 %3 字节</translation>
    </message>
</context>
<context>
    <name>shmscope</name>
    <message>
        <source>Open Mapping</source>
        <translation>打开映射</translation>
    </message>
    <message>
        <source>Create the object if it does not exist (needs --size).</source>
        <translation>对象不存在时创建它（需要 --size）。</translation>
    </message>
    <message>
        <source>Size of the object to create: bytes, or with K, M, G (powers of 1024).</source>
        <translation>要创建的对象的大小：字节数，或带单位 K、M、G（1024 的幂）。</translation>
    </message>
    <message>
        <source>Permission bits of the object to create, octal (default 0600).</source>
        <translation>要创建的对象的权限位，八进制（默认 0600）。</translation>
    </message>
    <message>
        <source>Attach read-only: edits are refused.</source>
        <translation>以只读方式附加：拒绝任何编辑。</translation>
    </message>
    <message>
        <source>Attach copy-on-write: edits stay in this window&apos;s private view.</source>
        <translation>以写时复制方式附加：编辑只保留在本窗口的私有视图中。</translation>
    </message>
    <message>
        <source>ShmScope: inspect and edit named shared memory live.

ADDRESS is [kind:]name with kind posix (default; /dev/shm objects), file (a file mapped with mmap),
sysv (a System V segment by key, decimal or 0x-hex) or sysvid (by shmid).
Without an address the demo mapping posix:/shmscope-demo (64 KiB) is opened, created if missing.</source>
        <translation>ShmScope：实时查看和编辑命名共享内存。

ADDRESS 的格式为 [kind:]name，kind 可为 posix（默认；/dev/shm 中的对象）、file（用 mmap 映射的文件）、
sysv（按键值指定的 System V 共享内存段，十进制或 0x 十六进制）或 sysvid（按 shmid 指定）。
不指定地址时打开演示映射 posix:/shmscope-demo（64 KiB），不存在则自动创建。</translation>
    </message>
    <message>
        <source>The object to open, e.g. posix:/demo, file:/tmp/zj.dat, sysv:0x2a.</source>
        <translation>要打开的对象，例如 posix:/demo、file:/tmp/zj.dat、sysv:0x2a。</translation>
    </message>
    <message>
        <source>open: too many arguments: %1</source>
        <translation>打开: 参数过多: %1</translation>
    </message>
    <message>
        <source>open: --read-only and --copy-on-write exclude each other</source>
        <translation>打开: --read-only 和 --copy-on-write 不能同时使用</translation>
    </message>
    <message>
        <source>open: --size and --mode need --create</source>
        <translation>打开: --size 和 --mode 需要与 --create 一起使用</translation>
    </message>
    <message>
        <source>open: --create needs --size</source>
        <translation>打开: --create 需要 --size</translation>
    </message>
    <message>
        <source>open: --size: %1</source>
        <translation>打开: --size: %1</translation>
    </message>
    <message>
        <source>open: --mode: %1</source>
        <translation>打开: --mode: %1</translation>
    </message>
    <message>
        <source>Exit codes:
  0  the window was closed (also after an address that could not be opened)
  2  usage error: unknown option, bad address or size
</source>
        <translation>退出码：
  0  窗口已关闭（包括无法打开某个地址之后）
  2  用法错误：未知选项、地址或大小无效
</translation>
    </message>
    <message>
        <source>Examples:
  shmscope
      Open the demo object posix:/shmscope-demo, created if missing.
  shmscope posix:/demo --create --size 1M --mode 0640
      Open posix:/demo, creating it with 1 MiB if it does not exist.
  shmscope sysv:0x2a --read-only
      Watch the System V segment with key 0x2a without being able to change it.
  shmscope file:/var/tmp/data.bin --copy-on-write
      Try edits on a file mapping without writing them to the file.
</source>
        <translation>示例：
  shmscope
      打开演示对象 posix:/shmscope-demo，不存在则自动创建。
  shmscope posix:/demo --create --size 1M --mode 0640
      打开 posix:/demo，若不存在则以 1 MiB 大小创建。
  shmscope sysv:0x2a --read-only
      查看键值为 0x2a 的 System V 共享内存段，且无法修改它。
  shmscope file:/var/tmp/data.bin --copy-on-write
      在文件映射上试验编辑，而不将其写入文件。
</translation>
    </message>
</context>
<context>
    <name>shmscope::AboutBox</name>
    <message>
        <source>&lt;p&gt;&lt;b&gt;ShmScope %1&lt;/b&gt;&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;ShmScope %1&lt;/b&gt;&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;An inspector for named shared memory: attach to POSIX, System V and file-backed mappings, watch their bytes change live, edit them, and see what other instances do.&lt;/p&gt;</source>
        <translation>&lt;p&gt;命名共享内存查看器：附加到 POSIX、System V 和文件支持的映射，实时观察其字节变化、编辑它们，并查看其他实例在做什么。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Built from an unknown commit.</source>
        <translation>构建自未知提交。</translation>
    </message>
    <message>
        <source>Built from git commit %1.</source>
        <translation>构建自 git 提交 %1。</translation>
    </message>
    <message>
        <source>Qt %1 (built with Qt %2).</source>
        <translation>Qt %1（构建时使用 Qt %2）。</translation>
    </message>
    <message>
        <source>Licence: none chosen yet; all rights reserved by the ShmScope developers.</source>
        <translation>许可证：尚未选定；ShmScope 开发者保留所有权利。</translation>
    </message>
    <message>
        <source>Licence: %1.</source>
        <translation>许可证：%1。</translation>
    </message>
    <message>
        <source>Application id: %1.</source>
        <translation>应用程序 ID：%1。</translation>
    </message>
    <message>
        <source>About ShmScope</source>
        <translation>关于 ShmScope</translation>
    </message>
</context>
<context>
    <name>shmscope::BookmarkModel</name>
    <message>
        <source>Bookmark at 0x%1</source>
        <translation>0x%1 处的书签</translation>
    </message>
    <message>
        <source>%1 at offset %2 (0x%3)</source>
        <translation>%1，位于偏移 %2（0x%3）</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Offset</source>
        <translation>偏移</translation>
    </message>
</context>
<context>
    <name>shmscope::BookmarksPanel</name>
    <message>
        <source>&amp;Add</source>
        <translation>添加(&amp;A)</translation>
    </message>
    <message>
        <source>Re&amp;name</source>
        <translation>重命名(&amp;N)</translation>
    </message>
    <message>
        <source>Re&amp;move</source>
        <translation>移除(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Go To</source>
        <translation>转到(&amp;G)</translation>
    </message>
    <message>
        <source>Bookmark the offset of the cursor</source>
        <translation>为光标所在的偏移添加书签</translation>
    </message>
    <message>
        <source>bookmark &apos;%1&apos;: offset 0x%2 is past the end of the mapping (%3 bytes)</source>
        <translation>书签 “%1”: 偏移 0x%2 超出映射末尾（共 %3 字节）</translation>
    </message>
</context>
<context>
    <name>shmscope::ByteSearch</name>
    <message>
        <source>find: cannot read %1 bytes at offset 0x%2: %3</source>
        <translation>查找: 无法读取偏移 0x%2 处的 %1 个字节: %3</translation>
    </message>
    <message>
        <source>find: nothing to search for</source>
        <translation>查找: 没有要查找的内容</translation>
    </message>
    <message>
        <source>find: &apos;%1&apos; is not hex bytes (expected pairs of hex digits such as &apos;de ad be ef&apos;)</source>
        <translation>查找: “%1” 不是十六进制字节（应为成对的十六进制数字，例如 “de ad be ef”）</translation>
    </message>
    <message>
        <source>find: the pattern is %1 bytes long; at most %2 bytes are supported</source>
        <translation>查找: 搜索模式长 %1 字节，最多支持 %2 字节</translation>
    </message>
</context>
<context>
    <name>shmscope::ByteSource</name>
    <message>
        <source>the bytes kept changing during %1 reads</source>
        <translation>在 %1 次读取过程中字节一直在变化</translation>
    </message>
    <message>
        <source>read: offset %1 + length %2 &gt; size %3</source>
        <translation>读取: 偏移 %1 + 长度 %2 &gt; 大小 %3</translation>
    </message>
</context>
<context>
    <name>shmscope::ChangesOverview</name>
    <message>
        <source>Recent changes in the whole object; click to go there</source>
        <translation>整个对象中最近的变化；单击可跳转到该处</translation>
    </message>
    <message>
        <source>&amp;Pause Change Scan</source>
        <translation>暂停变化扫描(&amp;P)</translation>
    </message>
</context>
<context>
    <name>shmscope::CursorStatusLabel</name>
    <message>
        <source>Offset of the cursor in the hex view (hex and decimal) and the number of bytes selected</source>
        <translation>光标在十六进制视图中的偏移（十六进制和十进制）以及已选择的字节数</translation>
    </message>
    <message>
        <source>Offset 0x%1 (%2)</source>
        <translation>偏移 0x%1（%2）</translation>
    </message>
    <message numerus="yes">
        <source>%1, %2 byte(s) selected</source>
        <translation>
            <numerusform>%1，已选择 %2 字节</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>shmscope::DataInspectorModel</name>
    <message>
        <source>int8</source>
        <translation>int8</translation>
    </message>
    <message>
        <source>uint8</source>
        <translation>uint8</translation>
    </message>
    <message>
        <source>int16</source>
        <translation>int16</translation>
    </message>
    <message>
        <source>uint16</source>
        <translation>uint16</translation>
    </message>
    <message>
        <source>int32</source>
        <translation>int32</translation>
    </message>
    <message>
        <source>uint32</source>
        <translation>uint32</translation>
    </message>
    <message>
        <source>int64</source>
        <translation>int64</translation>
    </message>
    <message>
        <source>uint64</source>
        <translation>uint64</translation>
    </message>
    <message>
        <source>float32</source>
        <translation>float32</translation>
    </message>
    <message>
        <source>float64</source>
        <translation>float64</translation>
    </message>
    <message>
        <source>UTF-8 character</source>
        <translation>UTF-8 字符</translation>
    </message>
    <message>
        <source>UTF-16 character</source>
        <translation>UTF-16 字符</translation>
    </message>
    <message>
        <source>binary</source>
        <translation>二进制</translation>
    </message>
    <message>
        <source>data inspector: no value entered</source>
        <translation>数据检查器: 未输入值</translation>
    </message>
    <message>
        <source>data inspector: &apos;%1&apos; is not a float32 value</source>
        <translation>数据检查器: “%1” 不是有效的 float32 值</translation>
    </message>
    <message>
        <source>data inspector: &apos;%1&apos; is not a float64 value</source>
        <translation>数据检查器: “%1” 不是有效的 float64 值</translation>
    </message>
    <message>
        <source>data inspector: enter exactly one character, not &apos;%1&apos;</source>
        <translation>数据检查器: 请只输入一个字符，而不是 “%1”</translation>
    </message>
    <message>
        <source>data inspector: &apos;%1&apos; is not a byte in binary (1 to 8 digits 0 or 1)</source>
        <translation>数据检查器: “%1” 不是二进制形式的字节（应为 1 到 8 位 0 或 1）</translation>
    </message>
    <message>
        <source>data inspector: no such row</source>
        <translation>数据检查器: 没有该行</translation>
    </message>
    <message>
        <source>data inspector: &apos;%1&apos; is not a number (decimal or 0x-hex)</source>
        <translation>数据检查器: “%1” 不是数字（应为十进制或 0x 十六进制）</translation>
    </message>
    <message>
        <source>data inspector: %1 does not fit in %2</source>
        <translation>数据检查器: %1 超出 %2 的取值范围</translation>
    </message>
    <message>
        <source>Not enough bytes before the end of the source</source>
        <translation>到数据源末尾的字节数不足</translation>
    </message>
    <message>
        <source>Not a valid encoded character</source>
        <translation>不是有效编码的字符</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Little-endian</source>
        <translation>小端序</translation>
    </message>
    <message>
        <source>Big-endian</source>
        <translation>大端序</translation>
    </message>
    <message>
        <source>data inspector: no mapping is shown</source>
        <translation>数据检查器: 当前未显示任何映射</translation>
    </message>
    <message>
        <source>data inspector: %1 bytes do not fit before the end of the source at offset 0x%2</source>
        <translation>数据检查器: 从偏移 0x%2 起到数据源末尾放不下 %1 个字节</translation>
    </message>
</context>
<context>
    <name>shmscope::FindBar</name>
    <message>
        <source>Find…</source>
        <translation>查找…</translation>
    </message>
    <message>
        <source>Hex bytes</source>
        <translation>十六进制字节</translation>
    </message>
    <message>
        <source>Text (UTF-8)</source>
        <translation>文本（UTF-8）</translation>
    </message>
    <message>
        <source>Text (UTF-16LE)</source>
        <translation>文本（UTF-16LE）</translation>
    </message>
    <message>
        <source>Previous</source>
        <translation>上一个</translation>
    </message>
    <message>
        <source>Find the previous match (Shift+F3)</source>
        <translation>查找上一个匹配项（Shift+F3）</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>下一个</translation>
    </message>
    <message>
        <source>Find the next match (F3)</source>
        <translation>查找下一个匹配项（F3）</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Stop the search (Esc)</source>
        <translation>停止查找（Esc）</translation>
    </message>
    <message>
        <source>Close the find bar (Esc)</source>
        <translation>关闭查找栏（Esc）</translation>
    </message>
    <message>
        <source>Find:</source>
        <translation>查找：</translation>
    </message>
    <message>
        <source>Found at 0x%1 (wrapped around)</source>
        <translation>在 0x%1 处找到（已回绕）</translation>
    </message>
    <message>
        <source>Found at 0x%1</source>
        <translation>在 0x%1 处找到</translation>
    </message>
    <message>
        <source>Not found</source>
        <translation>未找到</translation>
    </message>
    <message>
        <source>Search cancelled</source>
        <translation>查找已取消</translation>
    </message>
    <message>
        <source>find: no mapping is shown</source>
        <translation>查找: 当前未显示任何映射</translation>
    </message>
    <message>
        <source>find: the search could not start</source>
        <translation>查找: 无法开始查找</translation>
    </message>
    <message>
        <source>Searching forward…</source>
        <translation>正在向下查找…</translation>
    </message>
    <message>
        <source>Searching backward…</source>
        <translation>正在向上查找…</translation>
    </message>
</context>
<context>
    <name>shmscope::GoToOffset</name>
    <message>
        <source>go to offset: no offset entered</source>
        <translation>转到偏移: 未输入偏移</translation>
    </message>
    <message>
        <source>go to offset: &apos;%1&apos; is not an offset (decimal, 0x-hex, or +N/-N from the cursor)</source>
        <translation>转到偏移: “%1” 不是有效的偏移（应为十进制、0x 十六进制，或相对光标的 +N/-N）</translation>
    </message>
    <message>
        <source>go to offset: the mapping is empty</source>
        <translation>转到偏移: 映射为空</translation>
    </message>
    <message>
        <source>go to offset: %1 from the cursor at %2 is past the end (%3 bytes)</source>
        <translation>转到偏移: 从光标位置 %2 偏移 %1 会超出末尾（共 %3 字节）</translation>
    </message>
    <message>
        <source>go to offset: %1 from the cursor at %2 is before the start</source>
        <translation>转到偏移: 从光标位置 %2 偏移 %1 会超出起始位置</translation>
    </message>
    <message>
        <source>go to offset: %1 is past the end (%2 bytes)</source>
        <translation>转到偏移: %1 超出末尾（共 %2 字节）</translation>
    </message>
</context>
<context>
    <name>shmscope::HelpDialog</name>
    <message>
        <source>ShmScope Help</source>
        <translation>ShmScope 帮助</translation>
    </message>
    <message>
        <source>Addresses</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Opening and creating</source>
        <translation>打开和创建</translation>
    </message>
    <message>
        <source>Views</source>
        <translation>视图</translation>
    </message>
    <message>
        <source>Editing</source>
        <translation>编辑</translation>
    </message>
    <message>
        <source>Notifications</source>
        <translation>通知</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>The command line</source>
        <translation>命令行</translation>
    </message>
    <message>
        <source>ShmScope</source>
        <translation>ShmScope</translation>
    </message>
    <message>
        <source>An inspector for named shared memory: it attaches to an object by name and shows its bytes live, as they change.</source>
        <translation>命名共享内存查看器：按名称附加到对象，并实时显示其字节的变化。</translation>
    </message>
    <message>
        <source>&lt;p&gt;Every object has an address &lt;tt&gt;[kind:]name&lt;/tt&gt;, the same in the window title, the Open dialog, on the command line (&lt;tt&gt;shmscope ADDRESS&lt;/tt&gt;) and in &lt;tt&gt;shmscope-cli&lt;/tt&gt;:&lt;/p&gt;&lt;table border=&quot;1&quot; cellpadding=&quot;4&quot; cellspacing=&quot;0&quot;&gt;&lt;tr&gt;&lt;td&gt;&lt;tt&gt;posix:/demo&lt;/tt&gt; or &lt;tt&gt;demo&lt;/tt&gt;&lt;/td&gt;&lt;td&gt;a POSIX shared memory object (&lt;tt&gt;shm_open&lt;/tt&gt;, /dev/shm/demo); the default kind&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;tt&gt;file:/var/tmp/data.bin&lt;/tt&gt;&lt;/td&gt;&lt;td&gt;a file mapped with &lt;tt&gt;mmap&lt;/tt&gt;&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;tt&gt;sysv:0x2a&lt;/tt&gt;&lt;/td&gt;&lt;td&gt;a System V segment by key, decimal or 0x-hex&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;tt&gt;sysvid:32769&lt;/tt&gt;&lt;/td&gt;&lt;td&gt;a System V segment by its shmid&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;p&gt;Names are bytes. A byte that is not UTF-8 and a control character are shown as &lt;tt&gt;\xHH&lt;/tt&gt;, and every address field takes that form back. Without an address ShmScope opens the demo object &lt;tt&gt;posix:/shmscope-demo&lt;/tt&gt; (64 KiB), creating it if it is missing.&lt;/p&gt;</source>
        <translation>&lt;p&gt;每个对象都有一个地址 &lt;tt&gt;[kind:]name&lt;/tt&gt;，它在窗口标题、打开对话框、命令行（&lt;tt&gt;shmscope ADDRESS&lt;/tt&gt;）和 &lt;tt&gt;shmscope-cli&lt;/tt&gt; 中都相同：&lt;/p&gt;&lt;table border=&quot;1&quot; cellpadding=&quot;4&quot; cellspacing=&quot;0&quot;&gt;&lt;tr&gt;&lt;td&gt;&lt;tt&gt;posix:/demo&lt;/tt&gt; 或 &lt;tt&gt;demo&lt;/tt&gt;&lt;/td&gt;&lt;td&gt;POSIX 共享内存对象（&lt;tt&gt;shm_open&lt;/tt&gt;，/dev/shm/demo）；默认类型&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;tt&gt;file:/var/tmp/data.bin&lt;/tt&gt;&lt;/td&gt;&lt;td&gt;用 &lt;tt&gt;mmap&lt;/tt&gt; 映射的文件&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;tt&gt;sysv:0x2a&lt;/tt&gt;&lt;/td&gt;&lt;td&gt;按键值指定的 System V 共享内存段，十进制或 0x 十六进制&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;tt&gt;sysvid:32769&lt;/tt&gt;&lt;/td&gt;&lt;td&gt;按 shmid 指定的 System V 共享内存段&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;p&gt;名称是字节序列。不属于 UTF-8 的字节和控制字符显示为 &lt;tt&gt;\xHH&lt;/tt&gt;，所有地址输入框也都接受这种形式。不指定地址时，ShmScope 打开演示对象 &lt;tt&gt;posix:/shmscope-demo&lt;/tt&gt;（64 KiB），不存在则自动创建。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;File ▸ Open or Create&lt;/b&gt; lists the objects on this machine with their size, mode, owner and the processes that map them; pick one or type a kind and a name. &lt;b&gt;Create if missing&lt;/b&gt; makes the object with the size and mode given (the mode is applied exactly). The access decides what your edits do:&lt;/p&gt;&lt;ul&gt;&lt;li&gt;&lt;b&gt;Read-write&lt;/b&gt;: edits change the object for every process (MAP_SHARED).&lt;/li&gt;&lt;li&gt;&lt;b&gt;Read-only&lt;/b&gt;: you see every change, edits are refused.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Copy-on-write&lt;/b&gt;: edits stay in this window (MAP_PRIVATE); nobody else sees them.&lt;/li&gt;&lt;/ul&gt;&lt;p&gt;The window title says read-only, copy-on-write, or that the object was removed. &lt;b&gt;File ▸ Open Recent&lt;/b&gt; keeps the last addresses.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;文件 ▸ 打开或创建&lt;/b&gt; 列出本机上的对象及其大小、权限、属主和映射它们的进程；可从中选择一个，或输入类型和名称。&lt;b&gt;不存在时创建&lt;/b&gt; 按给定的大小和权限创建对象（权限按原样设置）。访问方式决定您的编辑会产生什么效果：&lt;/p&gt;&lt;ul&gt;&lt;li&gt;&lt;b&gt;读写&lt;/b&gt;：编辑会修改对象，所有进程都能看到（MAP_SHARED）。&lt;/li&gt;&lt;li&gt;&lt;b&gt;只读&lt;/b&gt;：您能看到每一处变化，但编辑会被拒绝。&lt;/li&gt;&lt;li&gt;&lt;b&gt;写时复制&lt;/b&gt;：编辑只保留在本窗口中（MAP_PRIVATE），其他人都看不到。&lt;/li&gt;&lt;/ul&gt;&lt;p&gt;窗口标题会注明只读、写时复制，或对象已被删除。&lt;b&gt;文件 ▸ 最近打开&lt;/b&gt; 保存最近使用的地址。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;The &lt;b&gt;hex view&lt;/b&gt; shows offsets, bytes and their ASCII; bytes that changed are highlighted and fade. The &lt;b&gt;text view&lt;/b&gt; shows the NUL-terminated string at an offset (UTF-8 or UTF-16LE). Both follow the object live: edits announced by other instances at once, other writers through a periodic scan (&lt;b&gt;View ▸ Poll Rate&lt;/b&gt;; &lt;b&gt;Pause Change Scan&lt;/b&gt; stops it).&lt;/p&gt;&lt;p&gt;The &lt;b&gt;View&lt;/b&gt; menu shows and hides each pane and dock: the &lt;b&gt;Data Inspector&lt;/b&gt; (the bytes at the cursor as integers, floats, characters and bits, in both byte orders, editable), &lt;b&gt;Bookmarks&lt;/b&gt; (named offsets per address), &lt;b&gt;Peers&lt;/b&gt; (the other instances on this object), and the &lt;b&gt;Changes Overview&lt;/b&gt; beside the scroll bar (where in the whole object bytes changed). &lt;b&gt;Bytes per Row&lt;/b&gt; and &lt;b&gt;Group Bytes&lt;/b&gt; set the hex layout. The status bar shows the cursor offset, the selection, the size, the access and the number of other instances.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;十六进制视图&lt;/b&gt; 显示偏移、字节及其 ASCII 字符；发生变化的字节会高亮显示并逐渐淡出。&lt;b&gt;文本视图&lt;/b&gt; 显示某个偏移处以 NUL 结尾的字符串（UTF-8 或 UTF-16LE）。两者都实时跟随对象：其他实例通告的编辑会立即显示，其他写入者的修改则通过定期扫描发现（&lt;b&gt;视图 ▸ 轮询频率&lt;/b&gt;；&lt;b&gt;暂停变化扫描&lt;/b&gt; 可停止扫描）。&lt;/p&gt;&lt;p&gt;&lt;b&gt;视图&lt;/b&gt; 菜单用于显示和隐藏各个窗格和停靠窗口：&lt;b&gt;数据检查器&lt;/b&gt;（将光标处的字节按两种字节序解释为整数、浮点数、字符和位，可编辑）、&lt;b&gt;书签&lt;/b&gt;（每个地址各自的命名偏移）、&lt;b&gt;对等实例&lt;/b&gt;（同一对象上的其他实例），以及滚动条旁的 &lt;b&gt;变化概览&lt;/b&gt;（整个对象中哪些位置的字节发生了变化）。&lt;b&gt;每行字节数&lt;/b&gt; 和 &lt;b&gt;字节分组&lt;/b&gt; 用于设置十六进制布局。状态栏显示光标偏移、选区、大小、访问方式和其他实例的数量。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;Type hex digits in the hex view, or text in the text view. Every edit is written under the object&apos;s lock, shared with other ShmScope instances and &lt;tt&gt;shmscope-cli&lt;/tt&gt;. While another process holds the lock, what you type shows at once on a tint and waits in order; the status bar says who holds it, and &lt;b&gt;Esc&lt;/b&gt; or its &lt;b&gt;Cancel&lt;/b&gt; button drops what waits (it stays in the undo history as not written). &lt;b&gt;Undo&lt;/b&gt; and &lt;b&gt;Redo&lt;/b&gt; write the old bytes back only if nobody changed them since; otherwise you are asked. &lt;b&gt;Paste&lt;/b&gt; takes hex or text; &lt;b&gt;Copy as Hex&lt;/b&gt; copies the selection. &lt;b&gt;Edit ▸ Find&lt;/b&gt; searches for hex bytes or text, &lt;b&gt;Go ▸ Go to Offset&lt;/b&gt; takes decimal, 0x-hex or +N/-N from the cursor.&lt;/p&gt;</source>
        <translation>&lt;p&gt;在十六进制视图中输入十六进制数字，或在文本视图中输入文本。每次编辑都在对象的锁保护下写入，该锁由所有 ShmScope 实例和 &lt;tt&gt;shmscope-cli&lt;/tt&gt; 共用。当另一个进程持有该锁时，您输入的内容会立即以底色标示显示，并按顺序等待；状态栏会显示谁持有该锁，按 &lt;b&gt;Esc&lt;/b&gt; 或点击其 &lt;b&gt;取消&lt;/b&gt; 按钮可丢弃正在等待的内容（它会以 “未写入” 状态保留在撤销历史中）。&lt;b&gt;撤销&lt;/b&gt; 和 &lt;b&gt;重做&lt;/b&gt; 只在字节此后未被他人修改时才写回旧字节；否则会询问您。&lt;b&gt;粘贴&lt;/b&gt; 接受十六进制或文本；&lt;b&gt;复制为十六进制&lt;/b&gt; 复制选区。&lt;b&gt;编辑 ▸ 查找&lt;/b&gt; 搜索十六进制字节或文本，&lt;b&gt;转到 ▸ 转到偏移&lt;/b&gt; 接受十进制、0x 十六进制或相对光标的 +N/-N。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;Instances on the same object tell each other which bytes they wrote, over a local socket in your runtime folder, so that typing in one window shows in all of them at once. &lt;tt&gt;shmscope-cli write&lt;/tt&gt; and &lt;tt&gt;remove&lt;/tt&gt; announce their changes the same way, and &lt;tt&gt;shmscope-cli watch&lt;/tt&gt; listens. The Peers dock lists the instances connected. When the notifications cannot start, the status bar says &lt;i&gt;notifications off&lt;/i&gt; and why; the object still opens and changes still show through the periodic scan. When another process removes the object&apos;s name, the title says so and the view stays.&lt;/p&gt;</source>
        <translation>&lt;p&gt;同一对象上的实例通过您的运行时文件夹中的本地套接字互相告知各自写入了哪些字节，因此在一个窗口中输入的内容会立即显示在所有窗口中。&lt;tt&gt;shmscope-cli write&lt;/tt&gt; 和 &lt;tt&gt;remove&lt;/tt&gt; 以同样的方式通告其修改，&lt;tt&gt;shmscope-cli watch&lt;/tt&gt; 则进行监听。对等实例停靠窗口列出已连接的实例。通知无法启动时，状态栏会显示 &lt;i&gt;通知不可用&lt;/i&gt; 及原因；对象仍可打开，变化仍会通过定期扫描显示出来。当另一个进程删除对象的名称时，标题会注明这一点，视图保持不变。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;The shortcuts of this window&apos;s menus:&lt;/p&gt;</source>
        <translation>&lt;p&gt;本窗口各菜单的快捷键：&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Command</source>
        <translation>命令</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>按键</translation>
    </message>
    <message>
        <source>&lt;p&gt;In the views: the arrow keys, Page Up/Down, Home and End move the cursor, Shift selects, Esc cancels edits that wait for the lock; in the find bar Enter and Shift+Enter find the next and the previous match.&lt;/p&gt;</source>
        <translation>&lt;p&gt;在视图中：方向键、Page Up/Down、Home 和 End 移动光标，按住 Shift 进行选择，Esc 取消正在等待锁的编辑；在查找栏中，Enter 和 Shift+Enter 分别查找下一个和上一个匹配项。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;tt&gt;shmscope-cli&lt;/tt&gt; lists, creates, reads, writes, watches and removes objects from a terminal with the same addresses; &lt;tt&gt;shmscope-cli --help&lt;/tt&gt; and &lt;tt&gt;man shmscope-cli&lt;/tt&gt; describe every command. &lt;tt&gt;shmscope --help&lt;/tt&gt; lists this window&apos;s own options.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;tt&gt;shmscope-cli&lt;/tt&gt; 在终端中使用相同的地址列出、创建、读取、写入、监视和删除对象；&lt;tt&gt;shmscope-cli --help&lt;/tt&gt; 和 &lt;tt&gt;man shmscope-cli&lt;/tt&gt; 介绍了每个命令。&lt;tt&gt;shmscope --help&lt;/tt&gt; 列出本窗口程序自身的选项。&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>shmscope::HexView</name>
    <message numerus="yes">
        <source>Edit %n byte(s) at %1</source>
        <translation>
            <numerusform>编辑 %1 处的 %n 个字节</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing to edit: the view is empty.</source>
        <translation>无可编辑内容：视图为空。</translation>
    </message>
    <message>
        <source>The view is read-only: the byte at offset %1 was not changed.</source>
        <translation>视图为只读，偏移 %1 处的字节未被修改。</translation>
    </message>
    <message>
        <source>“%1” is not a hexadecimal digit: type 0–9 or a–f in the hex pane.</source>
        <translation>“%1” 不是十六进制数字：在十六进制窗格中请输入 0–9 或 a–f。</translation>
    </message>
    <message>
        <source>Cannot edit offset %1: %2</source>
        <translation>无法编辑偏移 %1: %2</translation>
    </message>
    <message>
        <source>“%1” is not a printable ASCII character: only characters 0x20–0x7e fit in one byte of the ASCII pane.</source>
        <translation>“%1” 不是可打印的 ASCII 字符：ASCII 窗格中的一个字节只能容纳 0x20–0x7e 范围内的字符。</translation>
    </message>
    <message>
        <source>Could not write offset %1: %2</source>
        <translation>写入偏移 %1 失败: %2</translation>
    </message>
    <message>
        <source>Cannot redo: the view shows nothing.</source>
        <translation>无法重做：视图中没有内容。</translation>
    </message>
    <message>
        <source>Cannot undo: the view shows nothing.</source>
        <translation>无法撤销：视图中没有内容。</translation>
    </message>
    <message numerus="yes">
        <source>Redo skipped: the %n byte(s) at offset %1 were changed by someone else since.</source>
        <translation>
            <numerusform>已跳过重做：偏移 %1 处的 %n 个字节此后已被他人修改。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Undo skipped: the %n byte(s) at offset %1 were changed by someone else since.</source>
        <translation>
            <numerusform>已跳过撤销：偏移 %1 处的 %n 个字节此后已被他人修改。</numerusform>
        </translation>
    </message>
    <message>
        <source>Could not redo the edit at offset %1: %2</source>
        <translation>重做偏移 %1 处的编辑失败: %2</translation>
    </message>
    <message>
        <source>Could not undo the edit at offset %1: %2</source>
        <translation>撤销偏移 %1 处的编辑失败: %2</translation>
    </message>
    <message>
        <source>The view is read-only: nothing was written at offset %1.</source>
        <translation>视图为只读，未在偏移 %1 处写入任何内容。</translation>
    </message>
    <message>
        <source>Cannot write %1 bytes at offset %2: the source holds %3 bytes; nothing was changed.</source>
        <translation>无法在偏移 %2 处写入 %1 个字节：数据源只有 %3 个字节；未做任何修改。</translation>
    </message>
    <message>
        <source>Copy as &amp;Hex</source>
        <translation>复制为十六进制(&amp;H)</translation>
    </message>
    <message>
        <source>Copy as &amp;Raw Bytes</source>
        <translation>复制为原始字节(&amp;R)</translation>
    </message>
    <message>
        <source>Copy as &amp;C Array</source>
        <translation>复制为 C 数组(&amp;C)</translation>
    </message>
    <message>
        <source>Copy as &amp;Base64</source>
        <translation>复制为 Base64(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation>粘贴(&amp;P)</translation>
    </message>
    <message>
        <source>Select &amp;All</source>
        <translation>全选(&amp;A)</translation>
    </message>
    <message>
        <source>Nothing to copy: no bytes are selected.</source>
        <translation>无可复制内容：未选中任何字节。</translation>
    </message>
    <message>
        <source>Cannot copy %1 bytes: the clipboard takes at most %2 bytes at once.</source>
        <translation>无法复制 %1 个字节：剪贴板一次最多只能容纳 %2 个字节。</translation>
    </message>
    <message>
        <source>Cannot copy the bytes at offset %1: %2</source>
        <translation>无法复制偏移 %1 处的字节: %2</translation>
    </message>
    <message>
        <source>Nothing to paste: the clipboard is empty.</source>
        <translation>无可粘贴内容：剪贴板为空。</translation>
    </message>
    <message>
        <source>Cannot paste into the hex pane: the text is not hexadecimal bytes (such as “de ad be ef”).</source>
        <translation>无法粘贴到十六进制窗格：文本不是十六进制字节（例如 “de ad be ef”）。</translation>
    </message>
    <message>
        <source>The view is read-only: nothing was pasted at offset %1.</source>
        <translation>视图为只读，未在偏移 %1 处粘贴任何内容。</translation>
    </message>
    <message>
        <source>Nothing to paste: the clipboard holds no bytes.</source>
        <translation>无可粘贴内容：剪贴板中没有字节。</translation>
    </message>
    <message>
        <source>Cannot paste %1 bytes at offset %2: only %3 bytes are left before the end; nothing was changed.</source>
        <translation>无法在偏移 %2 处粘贴 %1 个字节：距末尾只剩 %3 个字节；未做任何修改。</translation>
    </message>
    <message>
        <source>Offset</source>
        <translation>偏移</translation>
    </message>
    <message>
        <source>&amp;Poll Rate</source>
        <translation>轮询频率(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Off</source>
        <translation>关闭(&amp;O)</translation>
    </message>
    <message>
        <source>%1 Hz</source>
        <translation>%1 Hz</translation>
    </message>
    <message>
        <source>Pause Change &amp;Scan</source>
        <translation>暂停变化扫描(&amp;S)</translation>
    </message>
    <message>
        <source>%1 (waiting for the lock)</source>
        <translation>%1（正在等待锁）</translation>
    </message>
    <message>
        <source>%1 (not written)</source>
        <translation>%1（未写入）</translation>
    </message>
    <message>
        <source>the view shows nothing</source>
        <translation>视图中没有内容</translation>
    </message>
</context>
<context>
    <name>shmscope::MainWindow</name>
    <message>
        <source>read-write</source>
        <translation>读写</translation>
    </message>
    <message>
        <source>read-only</source>
        <translation>只读</translation>
    </message>
    <message>
        <source>copy-on-write (private)</source>
        <translation>写时复制（私有）</translation>
    </message>
    <message>
        <source>ShmScope</source>
        <translation>ShmScope</translation>
    </message>
    <message numerus="yes">
        <source>The %n byte(s) at offset 0x%1 were changed by someone else since you undid your edit. Redo it and overwrite their bytes?</source>
        <translation>
            <numerusform>在您撤销编辑之后，偏移 0x%1 处的 %n 个字节已被他人修改。要重做该编辑并覆盖这些字节吗？</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The %n byte(s) at offset 0x%1 were changed by someone else since you wrote them. Undo your edit and overwrite their bytes?</source>
        <translation>
            <numerusform>在您写入之后，偏移 0x%1 处的 %n 个字节已被他人修改。要撤销您的编辑并覆盖这些字节吗？</numerusform>
        </translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>重做</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Peers</source>
        <translation>对等实例</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Open or Create…</source>
        <translation>打开或创建(&amp;O)…</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Close Mapping</source>
        <translation>关闭映射(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Copy as Hex</source>
        <translation>复制为十六进制(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation>粘贴(&amp;P)</translation>
    </message>
    <message>
        <source>Select &amp;All</source>
        <translation>全选(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>Show or hide the other instances attached to this object</source>
        <translation>显示或隐藏附加到此对象的其他实例</translation>
    </message>
    <message>
        <source>&amp;Bytes per Row</source>
        <translation>每行字节数(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;Group Bytes</source>
        <translation>字节分组(&amp;G)</translation>
    </message>
    <message numerus="yes">
        <source>%n byte(s)</source>
        <translation>
            <numerusform>%n 字节</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Go</source>
        <translation>转到(&amp;G)</translation>
    </message>
    <message>
        <source>&amp;Go to Offset…</source>
        <translation>转到偏移(&amp;G)…</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About ShmScope</source>
        <translation>关于 ShmScope(&amp;A)</translation>
    </message>
    <message>
        <source>%1 was resized by another process: now %2 bytes</source>
        <translation>%1 的大小已被另一个进程改变，现为 %2 字节</translation>
    </message>
    <message>
        <source>%1 was removed by process %2; this view stays attached until you close it</source>
        <translation>%1 已被进程 %2 删除；此视图将保持附加，直到您关闭它</translation>
    </message>
    <message>
        <source>Created %1</source>
        <translation>已创建 %1</translation>
    </message>
    <message>
        <source>Open Mapping</source>
        <translation>打开映射</translation>
    </message>
    <message>
        <source>Go to Offset</source>
        <translation>转到偏移</translation>
    </message>
    <message>
        <source>No mapping open</source>
        <translation>未打开映射</translation>
    </message>
    <message>
        <source>%1 — ShmScope</source>
        <translation>%1 — ShmScope</translation>
    </message>
    <message>
        <source>%1 bytes (%2)</source>
        <translation>%1 字节（%2）</translation>
    </message>
    <message numerus="yes">
        <source>%n other instance(s)</source>
        <translation>
            <numerusform>其他 %n 个实例</numerusform>
        </translation>
    </message>
    <message>
        <source>Data Inspector</source>
        <translation>数据检查器</translation>
    </message>
    <message>
        <source>Bookmarks</source>
        <translation>书签</translation>
    </message>
    <message>
        <source>&amp;Find…</source>
        <translation>查找(&amp;F)…</translation>
    </message>
    <message>
        <source>Find &amp;Next</source>
        <translation>查找下一个(&amp;N)</translation>
    </message>
    <message>
        <source>Find Pre&amp;vious</source>
        <translation>查找上一个(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Data Inspector</source>
        <translation>数据检查器(&amp;D)</translation>
    </message>
    <message>
        <source>Boo&amp;kmarks</source>
        <translation>书签(&amp;K)</translation>
    </message>
    <message>
        <source>Offset (decimal or 0x-hex; +N or -N from the cursor), less than %1:</source>
        <translation>偏移（十进制或 0x 十六进制；或相对光标的 +N、-N），须小于 %1：</translation>
    </message>
    <message>
        <source>Changes &amp;Overview</source>
        <translation>变化概览(&amp;O)</translation>
    </message>
    <message>
        <source>Show where in the whole mapping bytes changed recently, beside the scrollbar</source>
        <translation>在滚动条旁显示整个映射中最近发生变化的字节位置</translation>
    </message>
    <message>
        <source>Stop the background scan of the whole mapping that feeds the changes overview</source>
        <translation>停止为变化概览提供数据的整个映射后台扫描</translation>
    </message>
    <message>
        <source>Hex view of %1</source>
        <translation>%1 的十六进制视图</translation>
    </message>
    <message>
        <source>&amp;Undo Text Edit</source>
        <translation>撤销文本编辑(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo Text Edit</source>
        <translation>重做文本编辑(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Undo %1</source>
        <translation>撤销 %1(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo %1</source>
        <translation>重做 %1(&amp;R)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Drop the edits waiting for the lock (Esc in a view): nothing of them is written; they stay in the undo history as not written</source>
        <translation>丢弃正在等待锁的编辑（在视图中按 Esc 键）：这些编辑都不会被写入；它们会以 “未写入” 状态保留在撤销历史中</translation>
    </message>
    <message>
        <source>&amp;Hex View</source>
        <translation>十六进制视图(&amp;H)</translation>
    </message>
    <message>
        <source>Show or hide the hex view and its find bar</source>
        <translation>显示或隐藏十六进制视图及其查找栏</translation>
    </message>
    <message>
        <source>&amp;Text View</source>
        <translation>文本视图(&amp;T)</translation>
    </message>
    <message>
        <source>Show or hide the text view</source>
        <translation>显示或隐藏文本视图</translation>
    </message>
    <message>
        <source>P&amp;eers</source>
        <translation>对等实例(&amp;E)</translation>
    </message>
    <message>
        <source>Pa&amp;use Change Scan</source>
        <translation>暂停变化扫描(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo Text Edit (not written)</source>
        <translation>重做文本编辑（未写入）(&amp;R)</translation>
    </message>
    <message>
        <source>other instances unknown</source>
        <translation>其他实例未知</translation>
    </message>
    <message>
        <source>%1 bytes</source>
        <translation>%1 字节</translation>
    </message>
    <message>
        <source>removed</source>
        <translation>已删除</translation>
    </message>
    <message>
        <source>copy-on-write</source>
        <translation>写时复制</translation>
    </message>
    <message>
        <source>%1 (%2) — ShmScope</source>
        <translation>%1（%2） — ShmScope</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>REMOVED by process %1: this view shows the last bytes of an object that no longer has a name</source>
        <translation>已被进程 %1 删除：此视图显示的是一个已不再有名称的对象的最终字节内容</translation>
    </message>
    <message>
        <source>REMOVED: this view shows the last bytes of an object that no longer has a name</source>
        <translation>已删除：此视图显示的是一个已不再有名称的对象的最终字节内容</translation>
    </message>
    <message>
        <source>notifications off: %1</source>
        <translation>通知不可用: %1</translation>
    </message>
    <message>
        <source>%1 already existed: opened it at its size of %2</source>
        <translation>%1 已存在：已按其现有大小 %2 打开</translation>
    </message>
    <message>
        <source>%1 already existed: opened it at its %2, not the %3 asked for</source>
        <translation>%1 已存在：已按其现有的 %2 打开，而非所请求的 %3</translation>
    </message>
    <message>
        <source>Native Calls</source>
        <translation>原生调用</translation>
    </message>
    <message>
        <source>Snapshots</source>
        <translation>快照</translation>
    </message>
    <message>
        <source>Value Scan</source>
        <translation>数值扫描</translation>
    </message>
    <message>
        <source>&amp;Contents</source>
        <translation>帮助内容(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Snapshots</source>
        <translation>快照(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Value Scan</source>
        <translation>数值扫描(&amp;V)</translation>
    </message>
    <message>
        <source>Object Bro&amp;wser</source>
        <translation>对象浏览器(&amp;W)</translation>
    </message>
    <message>
        <source>Show or hide every shared-memory object of this machine with its holders</source>
        <translation>显示或隐藏本机上的所有共享内存对象及其持有者</translation>
    </message>
    <message>
        <source>&amp;Native Calls</source>
        <translation>原生调用(&amp;N)</translation>
    </message>
    <message>
        <source>Show or hide the OS calls each action makes, as strace prints them</source>
        <translation>显示或隐藏每个操作发出的操作系统调用，格式与 strace 相同</translation>
    </message>
    <message>
        <source>Edits Waiting for the Lock</source>
        <translation>正在等待锁的编辑</translation>
    </message>
    <message>
        <source>%1 drops them: nothing of them is written. Keep waiting to let them land when the lock is free.</source>
        <translation>%1会丢弃这些编辑：它们都不会被写入。若继续等待，它们会在锁空闲时写入。</translation>
    </message>
    <message>
        <source>Drop the Edits</source>
        <translation>丢弃编辑</translation>
    </message>
    <message>
        <source>Keep Waiting</source>
        <translation>继续等待</translation>
    </message>
    <message>
        <source>Opening another mapping</source>
        <translation>打开另一个映射</translation>
    </message>
    <message>
        <source>Closing the mapping</source>
        <translation>关闭映射</translation>
    </message>
    <message>
        <source>Closing the window</source>
        <translation>关闭窗口</translation>
    </message>
    <message>
        <source>Structure</source>
        <translation>结构</translation>
    </message>
    <message>
        <source>Reope&amp;n</source>
        <translation>重新打开(&amp;N)</translation>
    </message>
    <message>
        <source>Attach the address shown again (shows a new object of that name)</source>
        <translation>重新附加当前显示的地址（显示同名的新对象）</translation>
    </message>
    <message>
        <source>St&amp;ructure</source>
        <translation>结构(&amp;R)</translation>
    </message>
    <message>
        <source>Show or hide the object&apos;s bytes as the fields of a Kaitai Struct layout</source>
        <translation>显示或隐藏按 Kaitai Struct 布局的字段显示的对象字节</translation>
    </message>
    <message>
        <source>Reopening the mapping</source>
        <translation>重新打开映射</translation>
    </message>
    <message>
        <source>Reopen Mapping</source>
        <translation>重新打开映射</translation>
    </message>
    <message>
        <source>Reveal Object</source>
        <translation>显示对象</translation>
    </message>
    <message>
        <source>Open %1 in place of %2 to show its pages and mappings?</source>
        <translation>要打开 %1 替换 %2，以显示其页和映射吗？</translation>
    </message>
    <message>
        <source>Open %1 to show its pages and mappings?</source>
        <translation>要打开 %1 以显示其页和映射吗？</translation>
    </message>
    <message>
        <source>Process %1 has no view of %2 now</source>
        <translation>进程 %1 目前没有 %2 的视图</translation>
    </message>
    <message>
        <source>removed; a new object has its name</source>
        <translation>已删除；已有新对象使用其名称</translation>
    </message>
    <message>
        <source>%1 was removed; a new object of that name exists — File ▸ Reopen shows it (this view shows the last bytes of the removed one)</source>
        <translation>%1 已被删除；已存在同名的新对象 — 文件 ▸ 重新打开 可显示它（此视图显示的是已删除对象的最终字节内容）</translation>
    </message>
</context>
<context>
    <name>shmscope::MappingByteSource</name>
    <message>
        <source>read %1: negative length %2</source>
        <translation>读取 %1: 长度 %2 为负数</translation>
    </message>
    <message>
        <source>read %1: offset %2 + length %3 &gt; size %4</source>
        <translation>读取 %1: 偏移 %2 + 长度 %3 &gt; 大小 %4</translation>
    </message>
    <message>
        <source>write %1: the object is attached read-only</source>
        <translation>写入 %1: 对象以只读方式附加</translation>
    </message>
    <message>
        <source>%1 %2: offset %3 + length %4 &gt; size %5</source>
        <translation>%1 %2: 偏移 %3 + 长度 %4 &gt; 大小 %5</translation>
    </message>
    <message>
        <source>write %1: %2 bytes expected but %3 to write</source>
        <translation>写入 %1: 预期 %2 字节，但要写入的是 %3 字节</translation>
    </message>
</context>
<context>
    <name>shmscope::MappingCard</name>
    <message>
        <source>F&amp;lush</source>
        <translation>刷写(&amp;L)</translation>
    </message>
    <message>
        <source>Write the dirty pages of this view to the file now (msync) and wait</source>
        <translation>立即将此视图的脏页写入文件（msync）并等待完成</translation>
    </message>
    <message>
        <source>Page cache: no mapping</source>
        <translation>页缓存：无映射</translation>
    </message>
    <message>
        <source>Page cache: %1</source>
        <translation>页缓存：%1</translation>
    </message>
    <message numerus="yes">
        <source>Page cache: %Ln page(s) cached, %1 dirty, %2 under writeback</source>
        <translation>
            <numerusform>页缓存：%Ln 页已缓存，%1 页为脏页，%2 页正在回写</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>shmscope::MemoryByteSource</name>
    <message>
        <source>read at offset %1: negative length %2</source>
        <translation>在偏移 %1 处读取: 长度 %2 为负数</translation>
    </message>
    <message>
        <source>read memory: offset %1 + length %2 &gt; size %3</source>
        <translation>读取内存: 偏移 %1 + 长度 %2 &gt; 大小 %3</translation>
    </message>
    <message>
        <source>write memory: the source is read-only</source>
        <translation>写入内存: 数据源为只读</translation>
    </message>
    <message>
        <source>write memory: offset %1 + length %2 &gt; size %3</source>
        <translation>写入内存: 偏移 %1 + 长度 %2 &gt; 大小 %3</translation>
    </message>
    <message>
        <source>write memory: simulated failure</source>
        <translation>写入内存: 模拟故障</translation>
    </message>
    <message>
        <source>write memory: %1 bytes expected but %2 to write</source>
        <translation>写入内存: 预期 %1 字节，但要写入的是 %2 字节</translation>
    </message>
    <message>
        <source>data extents memory: offset %1 + length %2 &gt; size %3</source>
        <translation>查询内存数据区段: 偏移 %1 + 长度 %2 &gt; 大小 %3</translation>
    </message>
    <message>
        <source>lock memory: held by pid %1</source>
        <translation>锁定内存: 锁由 pid %1 持有</translation>
    </message>
</context>
<context>
    <name>shmscope::NativeCallsModel</name>
    <message>
        <source>Seq</source>
        <translation>序号</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Thread</source>
        <translation>线程</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Call</source>
        <translation>调用</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>µs</source>
        <translation>µs</translation>
    </message>
    <message>
        <source>Faults</source>
        <translation>缺页</translation>
    </message>
    <message numerus="yes">
        <source>%n call(s)</source>
        <translation>
            <numerusform>%n 个调用</numerusform>
        </translation>
    </message>
    <message>
        <source>a store into the view, not a system call</source>
        <translation>对视图的内存写入，而非系统调用</translation>
    </message>
    <message>
        <source>(no user action)</source>
        <translation>（无用户操作）</translation>
    </message>
    <message>
        <source>(begun before the journal was shown)</source>
        <translation>（在“原生调用”面板显示之前开始）</translation>
    </message>
</context>
<context>
    <name>shmscope::NativeCallsPanel</name>
    <message>
        <source>&amp;Background calls</source>
        <translation>后台调用(&amp;B)</translation>
    </message>
    <message>
        <source>Filter calls (name, argument, result, action)</source>
        <translation>筛选调用（名称、参数、结果、操作）</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>暂停(&amp;P)</translation>
    </message>
    <message>
        <source>Stop recording calls (what happens meanwhile is not recorded)</source>
        <translation>停止记录调用（暂停期间发生的调用不会被记录）</translation>
    </message>
    <message>
        <source>C&amp;lear</source>
        <translation>清除(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>复制(&amp;C)</translation>
    </message>
    <message>
        <source>Copy the selected rows as text, as strace prints the calls</source>
        <translation>将选中的行复制为文本，格式与 strace 相同</translation>
    </message>
    <message numerus="yes">
        <source>Copied %n row(s)</source>
        <translation>
            <numerusform>已复制 %n 行</numerusform>
        </translation>
    </message>
    <message>
        <source>Copy as C P&amp;rogram</source>
        <translation>复制为 C 程序(&amp;R)</translation>
    </message>
    <message>
        <source>Copy the selected action&apos;s calls as a small C program that does the same</source>
        <translation>将所选操作的调用复制为一个执行相同操作的小型 C 程序</translation>
    </message>
    <message>
        <source>Select a row of an action first</source>
        <translation>请先选择某个操作中的一行</translation>
    </message>
    <message>
        <source>Copied the action as a C program</source>
        <translation>已将该操作复制为 C 程序</translation>
    </message>
    <message>
        <source>Also record calls made outside any user action, such as the size checks of the live view</source>
        <translation>同时记录在任何用户操作之外发出的调用，例如实时视图的大小检查</translation>
    </message>
    <message>
        <source>Page &amp;faults</source>
        <translation>缺页(&amp;F)</translation>
    </message>
    <message>
        <source>Count the page faults of each action (the Faults column); this makes every action slower while the dock records</source>
        <translation>统计每个操作的缺页次数（“缺页”列）；停靠窗口记录期间，每个操作都会变慢</translation>
    </message>
</context>
<context>
    <name>shmscope::NotificationBus</name>
    <message>
        <source>join notifications for %1: %2</source>
        <translation>加入 %1 的通知: %2</translation>
    </message>
    <message>
        <source>listen for notifications on %1: the path is longer than %2 bytes</source>
        <translation>在 %1 上监听通知: 路径长度超过 %2 字节</translation>
    </message>
    <message>
        <source>listen for notifications on %1: %2</source>
        <translation>在 %1 上监听通知: %2</translation>
    </message>
    <message>
        <source>Cannot join the notifications of %1: %2</source>
        <translation>无法加入 %1 的通知: %2</translation>
    </message>
</context>
<context>
    <name>shmscope::NumberParse</name>
    <message>
        <source>invalid size &apos;&apos;: empty (expected a number such as 4096, 0x1000 or 64K)</source>
        <translation>无效的大小 “”: 为空（应为数字，例如 4096、0x1000 或 64K）</translation>
    </message>
    <message>
        <source>invalid size &apos;%1&apos;: not a number (expected decimal or 0x-hex, optionally followed by K, M or G)</source>
        <translation>无效的大小 “%1”: 不是数字（应为十进制或 0x 十六进制，可后跟 K、M 或 G）</translation>
    </message>
    <message>
        <source>invalid size &apos;%1&apos;: a 0x-hex size takes no unit</source>
        <translation>无效的大小 “%1”: 0x 十六进制的大小不能带单位</translation>
    </message>
    <message>
        <source>invalid size &apos;%1&apos;: unknown unit &apos;%2&apos; (use K, M or G, powers of 1024)</source>
        <translation>无效的大小 “%1”: 未知单位 “%2”（请使用 K、M 或 G，均为 1024 的幂）</translation>
    </message>
    <message>
        <source>invalid size &apos;%1&apos;: too large (the limit is %2 bytes)</source>
        <translation>无效的大小 “%1”: 过大（上限为 %2 字节）</translation>
    </message>
    <message>
        <source>invalid offset &apos;%1&apos;: expected a decimal or 0x-hex number</source>
        <translation>无效的偏移 “%1”: 应为十进制或 0x 十六进制数</translation>
    </message>
    <message>
        <source>invalid offset &apos;%1&apos;: too large (the limit is %2)</source>
        <translation>无效的偏移 “%1”: 过大（上限为 %2）</translation>
    </message>
    <message>
        <source>invalid mode &apos;%1&apos;: expected octal permission bits such as 0640</source>
        <translation>无效的权限 “%1”: 应为八进制权限位，例如 0640</translation>
    </message>
    <message>
        <source>invalid mode &apos;%1&apos;: only the permission bits up to 0777 are allowed</source>
        <translation>无效的权限 “%1”: 只允许不超过 0777 的权限位</translation>
    </message>
</context>
<context>
    <name>shmscope::ObjectBrowserDock</name>
    <message>
        <source>Object Browser</source>
        <translation>对象浏览器</translation>
    </message>
    <message>
        <source>Filter (address, owner, holder, state…)</source>
        <translation>筛选（地址、属主、持有者、状态…）</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Remove…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <source>Clean…</source>
        <translation>清理…</translation>
    </message>
    <message>
        <source>Review the stale objects and remove those you check</source>
        <translation>查看陈旧对象，并删除您勾选的对象</translation>
    </message>
    <message>
        <source>Listing…</source>
        <translation>正在列出…</translation>
    </message>
    <message>
        <source>/dev/shm: %1 used of %2, %3 free</source>
        <translation>/dev/shm：已用 %1，共 %2，可用 %3</translation>
    </message>
    <message numerus="yes">
        <source>%n object(s)</source>
        <translation>
            <numerusform>%n 个对象</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n stale</source>
        <translation>
            <numerusform>%n 个陈旧</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n process(es) inspected</source>
        <translation>
            <numerusform>已检查 %n 个进程</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n could not be inspected (%1)</source>
        <translation>
            <numerusform>%n 个无法检查（%1）</numerusform>
        </translation>
    </message>
    <message>
        <source>at %1</source>
        <translation>于 %1</translation>
    </message>
    <message>
        <source>Refresh failed: %1</source>
        <translation>刷新失败：%1</translation>
    </message>
    <message>
        <source>other IPC namespaces are not shown</source>
        <translation>不显示其他 IPC 命名空间</translation>
    </message>
    <message>
        <source>Remove %1?</source>
        <translation>删除 %1？</translation>
    </message>
    <message>
        <source>No process was seen holding it.</source>
        <translation>未发现任何进程持有它。</translation>
    </message>
    <message numerus="yes">
        <source>%n process(es) could not be inspected and may hold it.</source>
        <translation>
            <numerusform>有 %n 个进程无法检查，它们可能持有它。</numerusform>
        </translation>
    </message>
    <message>
        <source>It is held by:</source>
        <translation>持有它的有：</translation>
    </message>
    <message numerus="yes">
        <source>%n more attached process(es) that could not be inspected</source>
        <translation>
            <numerusform>另有 %n 个已附加的进程无法检查</numerusform>
        </translation>
    </message>
    <message>
        <source>They keep their view of it, but nobody can open it by name any more; a program that opens it again will get a new, empty object.</source>
        <translation>它们会保留各自对它的视图，但再也没有人能按名称打开它；再次打开它的程序会得到一个新的空对象。</translation>
    </message>
    <message>
        <source>State: %1 (%2)</source>
        <translation>状态：%1（%2）</translation>
    </message>
    <message>
        <source>Remove Object</source>
        <translation>删除对象</translation>
    </message>
    <message>
        <source>Clean failed: %1</source>
        <translation>清理失败：%1</translation>
    </message>
    <message numerus="yes">
        <source>Removed %n object(s).</source>
        <translation>
            <numerusform>已删除 %n 个对象。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n kept: no longer stale when re-checked.</source>
        <translation>
            <numerusform>保留了 %n 个：重新检查时已不再陈旧。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n failed.</source>
        <translation>
            <numerusform>%n 个失败。</numerusform>
        </translation>
    </message>
    <message>
        <source>kept %1</source>
        <translation>已保留 %1</translation>
    </message>
    <message>
        <source>Clean Stale Objects</source>
        <translation>清理陈旧对象</translation>
    </message>
    <message>
        <source>These objects are stale: no process maps them or holds a descriptor, every process could be inspected, and they have not changed for %1. Each one checked is examined again just before it is removed, and kept if that is no longer true.</source>
        <translation>这些对象已陈旧：没有进程映射它们或持有其描述符，所有进程都能被检查，且它们在 %1 内没有变化。每个勾选的对象在删除前都会被重新检查，若上述条件不再成立则予以保留。</translation>
    </message>
    <message>
        <source>Remove Checked</source>
        <translation>删除已勾选的对象</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>All kinds</source>
        <translation>所有类型</translation>
    </message>
    <message>
        <source>Shared memory</source>
        <translation>共享内存</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Semaphores</source>
        <translation>信号量</translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation>打开(&amp;O)</translation>
    </message>
    <message>
        <source>Re&amp;veal in Pages and Mappings</source>
        <translation>在页和映射中显示(&amp;V)</translation>
    </message>
    <message>
        <source>Open the object if it is not the one shown, and show the Pages and Mappings docks with its holder process selected</source>
        <translation>如果该对象不是当前显示的对象，则打开它，然后显示页和映射停靠窗口，并选中其持有者进程</translation>
    </message>
    <message>
        <source>&amp;Remove…</source>
        <translation>删除(&amp;R)…</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s)</source>
        <translation>
            <numerusform>%n 个文件</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n semaphore(s)</source>
        <translation>
            <numerusform>%n 个信号量</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 — QSystemSemaphore: %2</source>
        <translation>%1 — QSystemSemaphore：%2</translation>
    </message>
</context>
<context>
    <name>shmscope::ObjectBrowserModel</name>
    <message numerus="yes">
        <source>%n more attached</source>
        <translation>
            <numerusform>另有 %n 个已附加</numerusform>
        </translation>
    </message>
    <message>
        <source>in use</source>
        <translation>使用中</translation>
    </message>
    <message>
        <source>recent</source>
        <translation>最近修改</translation>
    </message>
    <message>
        <source>unattached</source>
        <translation>未附加</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>stale</source>
        <translation>陈旧</translation>
    </message>
    <message>
        <source>removing</source>
        <translation>正在删除</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 分钟</translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation>%1 小时</translation>
    </message>
    <message>
        <source>%1 days</source>
        <translation>%1 天</translation>
    </message>
    <message>
        <source>%1 bytes</source>
        <translation>%1 字节</translation>
    </message>
    <message>
        <source>%1 bytes of memory taken (a sparse object takes less than its size)</source>
        <translation>占用 %1 字节内存（稀疏对象占用的内存少于其大小）</translation>
    </message>
    <message>
        <source>Looks like a leftover of %1</source>
        <translation>疑似 %1 的残留</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Allocated</source>
        <translation>已分配</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>权限</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>属主</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>未变时长</translation>
    </message>
    <message>
        <source>Holders</source>
        <translation>持有者</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>not held</source>
        <translation>未被持有</translation>
    </message>
    <message>
        <source>A glibc named semaphore (sem_open), not shared memory: never cleaned.</source>
        <translation>glibc 命名信号量（sem_open），不是共享内存：从不清理。</translation>
    </message>
    <message>
        <source>A file mapped shared or opened in ShmScope: never cleaned.</source>
        <translation>以共享方式映射或在 ShmScope 中打开的文件：从不清理。</translation>
    </message>
    <message numerus="yes">
        <source>unknown (%n process(es) could not be inspected)</source>
        <translation>
            <numerusform>未知（有 %n 个进程无法检查）</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>shmscope::ObjectBrowserWorker</name>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>%1 (QSystemSemaphore): %2</source>
        <translation>%1（QSystemSemaphore）: %2</translation>
    </message>
</context>
<context>
    <name>shmscope::ObjectListModel</name>
    <message>
        <source>%1 bytes</source>
        <translation>%1 字节</translation>
    </message>
    <message numerus="yes">
        <source>%n attached</source>
        <translation>
            <numerusform>%n 个进程已附加</numerusform>
        </translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>权限</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>属主</translation>
    </message>
    <message>
        <source>Modified</source>
        <translation>修改时间</translation>
    </message>
    <message>
        <source>Mapped by (pids)</source>
        <translation>映射进程（PID）</translation>
    </message>
    <message numerus="yes">
        <source>unknown (%n process(es) could not be inspected)</source>
        <translation>
            <numerusform>未知（有 %n 个进程无法检查）</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>shmscope::OpenDialog</name>
    <message>
        <source>Open or Create a Mapping</source>
        <translation>打开或创建映射</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <source>POSIX shared memory (shm_open)</source>
        <translation>POSIX 共享内存（shm_open）</translation>
    </message>
    <message>
        <source>File-backed mapping (mmap of a file)</source>
        <translation>内存映射文件（用 mmap 映射文件）</translation>
    </message>
    <message>
        <source>System V segment by key</source>
        <translation>System V 共享内存段（按键值）</translation>
    </message>
    <message>
        <source>System V segment by id</source>
        <translation>System V 共享内存段（按 shmid）</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>浏览(&amp;B)…</translation>
    </message>
    <message>
        <source>Bytes, or with a suffix K, M, G (powers of 1024). For files, 0 maps the file&apos;s own size.</source>
        <translation>字节数，或带后缀 K、M、G（1024 的幂）。对于文件，0 表示按文件自身的大小映射。</translation>
    </message>
    <message>
        <source>Permission bits in octal, applied exactly (the umask does not filter them).</source>
        <translation>八进制权限位，按原样设置（不受 umask 过滤）。</translation>
    </message>
    <message>
        <source>Read-&amp;write</source>
        <translation>读写(&amp;W)</translation>
    </message>
    <message>
        <source>Read-&amp;only</source>
        <translation>只读(&amp;O)</translation>
    </message>
    <message>
        <source>Co&amp;py-on-write (private edits)</source>
        <translation>写时复制（私有修改）(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Kind:</source>
        <translation>类型(&amp;K)：</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>名称(&amp;N)：</translation>
    </message>
    <message>
        <source>&amp;Size:</source>
        <translation>大小(&amp;S)：</translation>
    </message>
    <message>
        <source>&amp;Mode:</source>
        <translation>权限(&amp;M)：</translation>
    </message>
    <message>
        <source>Access:</source>
        <translation>访问方式：</translation>
    </message>
    <message>
        <source>Objects on this machine:</source>
        <translation>本机上的对象：</translation>
    </message>
    <message>
        <source>/name (a leading slash is optional)</source>
        <translation>/name（开头的斜杠可省略）</translation>
    </message>
    <message>
        <source>key, decimal or 0x-hex</source>
        <translation>键值，十进制或 0x 十六进制</translation>
    </message>
    <message>
        <source>shmid, decimal</source>
        <translation>shmid，十进制</translation>
    </message>
    <message>
        <source>File to Map</source>
        <translation>选择要映射的文件</translation>
    </message>
    <message>
        <source>open %1: size: %2</source>
        <translation>打开 %1: 大小: %2</translation>
    </message>
    <message>
        <source>open %1: mode: %2</source>
        <translation>打开 %1: 权限: %2</translation>
    </message>
    <message>
        <source>Cr&amp;eate if missing</source>
        <translation>不存在时创建(&amp;E)</translation>
    </message>
    <message>
        <source>Nothing was created.</source>
        <translation>未创建任何内容。</translation>
    </message>
    <message>
        <source>the file&apos;s own size</source>
        <translation>文件自身的大小</translation>
    </message>
    <message>
        <source>%1 (%2 bytes)</source>
        <translation>%1（%2 字节）</translation>
    </message>
    <message>
        <source>Create Object</source>
        <translation>创建对象</translation>
    </message>
    <message>
        <source>%1 does not exist. Create it?</source>
        <translation>%1 不存在。要创建它吗？</translation>
    </message>
    <message>
        <source>Kind: %1
Name: %2
Size: %3
Mode: %4 (%5)</source>
        <translation>类型：%1
名称：%2
大小：%3
权限：%4（%5）</translation>
    </message>
    <message>
        <source>&amp;Create</source>
        <translation>创建(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;File:</source>
        <translation>文件(&amp;F)：</translation>
    </message>
    <message>
        <source>full path of the file to map: Browse… to choose it</source>
        <translation>要映射的文件的完整路径：可用 “浏览…” 选择</translation>
    </message>
    <message>
        <source>create: no file chosen: choose where to create the file with Browse…</source>
        <translation>创建: 未选择文件: 请用 “浏览…” 选择要在何处创建文件</translation>
    </message>
    <message>
        <source>open: no file chosen: choose the file to map with Browse…</source>
        <translation>打开: 未选择文件: 请用 “浏览…” 选择要映射的文件</translation>
    </message>
    <message>
        <source>open %1: not a full path: choose the file with Browse… or type its full path</source>
        <translation>打开 %1: 不是完整路径: 请用 “浏览…” 选择文件，或输入其完整路径</translation>
    </message>
    <message>
        <source>open: %1</source>
        <translation>打开: %1</translation>
    </message>
    <message>
        <source>open %1: %2</source>
        <translation>打开 %1: %2</translation>
    </message>
    <message>
        <source>A named object in /dev/shm (tmpfs), opened with shm_open and mapped with mmap(MAP_SHARED): every process that maps it sees the same pages. Removed with shm_unlink.</source>
        <translation>/dev/shm（tmpfs）中的命名对象，用 shm_open 打开并用 mmap(MAP_SHARED) 映射：映射它的每个进程看到的都是相同的页。用 shm_unlink 删除。</translation>
    </message>
    <message>
        <source>A regular file opened with open and mapped with mmap: MAP_SHARED edits reach the file (flushed with msync), and processes mapping the same file share its page cache.</source>
        <translation>用 open 打开并用 mmap 映射的普通文件：MAP_SHARED 下的编辑会写入文件（用 msync 刷写），映射同一文件的进程共享其页缓存。</translation>
    </message>
    <message>
        <source>A System V segment found by its key (shmget, decimal or 0x-hex) and attached with shmat. It lives until it is removed (IPC_RMID) and the last process detaches.</source>
        <translation>按键值（shmget，十进制或 0x 十六进制）查找并用 shmat 附加的 System V 共享内存段。它会一直存在，直到被删除（IPC_RMID）且最后一个进程分离为止。</translation>
    </message>
    <message>
        <source>A System V segment by its id (the shmid ipcs shows), attached with shmat without looking up a key; it cannot be created by id.</source>
        <translation>按 id（ipcs 显示的 shmid）指定的 System V 共享内存段，用 shmat 附加而无需查找键值；不能按 id 创建。</translation>
    </message>
    <message>
        <source>Opened for reading and writing and mapped with PROT_READ | PROT_WRITE and MAP_SHARED (shmat for System V): your edits change the object itself, every process that maps it sees them, and other ShmScope instances are told.</source>
        <translation>以读写方式打开，并用 PROT_READ | PROT_WRITE 和 MAP_SHARED 映射（System V 使用 shmat）：您的编辑会修改对象本身，映射它的每个进程都能看到，并会通知其他 ShmScope 实例。</translation>
    </message>
    <message>
        <source>Opened read-only and mapped with PROT_READ and MAP_SHARED (shmat with SHM_RDONLY for System V): you see every change others make, and edits are refused. Needs only read permission.</source>
        <translation>以只读方式打开，并用 PROT_READ 和 MAP_SHARED 映射（System V 使用带 SHM_RDONLY 的 shmat）：您能看到其他人所做的每一处修改，但编辑会被拒绝。只需要读权限。</translation>
    </message>
    <message>
        <source>Opened read-only and mapped with MAP_PRIVATE: a page you edit is copied for this window alone (copy-on-write), so the object and other processes never see your edits. Needs only read permission. Not for System V segments (shmat has no private mode).</source>
        <translation>以只读方式打开并用 MAP_PRIVATE 映射：您编辑的页会为本窗口单独复制一份（写时复制），因此对象和其他进程永远看不到您的编辑。只需要读权限。不适用于 System V 共享内存段（shmat 没有私有模式）。</translation>
    </message>
</context>
<context>
    <name>shmscope::PageDocks</name>
    <message>
        <source>Pages</source>
        <translation>页</translation>
    </message>
    <message>
        <source>Mappings</source>
        <translation>映射</translation>
    </message>
    <message>
        <source>P&amp;ages</source>
        <translation>页(&amp;A)</translation>
    </message>
    <message>
        <source>Show or hide the page strip: which pages of this view are present, shared or private copies</source>
        <translation>显示或隐藏页条：此视图的哪些页驻留、共享或为私有副本</translation>
    </message>
    <message>
        <source>&amp;Mappings</source>
        <translation>映射(&amp;M)</translation>
    </message>
    <message>
        <source>Show or hide the mapping card: every process&apos;s view of the object, its memory and the page cache</source>
        <translation>显示或隐藏映射卡片：各进程中该对象的视图、其内存占用和页缓存</translation>
    </message>
</context>
<context>
    <name>shmscope::PageStrip</name>
    <message>
        <source>&amp;Reset Written Marks</source>
        <translation>重置写入标记(&amp;R)</translation>
    </message>
    <message>
        <source>Forget which pages this process wrote; pages written from now on are marked</source>
        <translation>忘记本进程写过哪些页；从现在起写入的页会被标记</translation>
    </message>
    <message>
        <source>This kernel does not track written pages (soft-dirty)</source>
        <translation>此内核不跟踪写入过的页（soft-dirty）</translation>
    </message>
    <message>
        <source>Page map</source>
        <translation>页图</translation>
    </message>
    <message>
        <source>%1 present</source>
        <translation>驻留 %1</translation>
    </message>
    <message>
        <source>%1 private</source>
        <translation>私有 %1</translation>
    </message>
    <message>
        <source>%1 swapped</source>
        <translation>已换出 %1</translation>
    </message>
    <message>
        <source>%1 written since reset</source>
        <translation>自重置以来写入 %1</translation>
    </message>
    <message numerus="yes">
        <source>%n not inspected</source>
        <translation>
            <numerusform>未检查 %n 个</numerusform>
        </translation>
    </message>
    <message>
        <source>not present</source>
        <translation>未驻留</translation>
    </message>
    <message>
        <source>shared</source>
        <translation>共享</translation>
    </message>
    <message>
        <source>only this view</source>
        <translation>仅此视图</translation>
    </message>
    <message>
        <source>private copy</source>
        <translation>私有副本</translation>
    </message>
    <message>
        <source>swapped</source>
        <translation>已换出</translation>
    </message>
    <message>
        <source>not present (never touched by this view, or dropped)</source>
        <translation>未驻留（此视图从未访问过，或已被丢弃）</translation>
    </message>
    <message>
        <source>the object&apos;s page, mapped by other views too</source>
        <translation>对象的页，也被其他视图映射</translation>
    </message>
    <message>
        <source>the object&apos;s page, mapped by this view only</source>
        <translation>对象的页，仅被此视图映射</translation>
    </message>
    <message>
        <source>a private copy: this copy-on-write view wrote it, the object&apos;s page is not seen here any more</source>
        <translation>私有副本：此写时复制视图写过该页，在这里已看不到对象自身的页</translation>
    </message>
    <message>
        <source>a private copy, swapped out</source>
        <translation>私有副本，已换出</translation>
    </message>
    <message>
        <source>No mapping</source>
        <translation>无映射</translation>
    </message>
    <message>
        <source>Page %1 (%2–%3)</source>
        <translation>页 %1（%2–%3）</translation>
    </message>
    <message>
        <source>This view: %1</source>
        <translation>此视图：%1</translation>
    </message>
    <message>
        <source>, written since the last reset</source>
        <translation>，自上次重置以来已被写入</translation>
    </message>
    <message>
        <source>pid %1 (%2, %3)</source>
        <translation>pid %1（%2，%3）</translation>
    </message>
    <message>
        <source>%1: not inspected (%2)</source>
        <translation>%1：未检查（%2）</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>No other view has it present.</source>
        <translation>其他视图中都不驻留。</translation>
    </message>
    <message>
        <source>Present in:</source>
        <translation>驻留于：</translation>
    </message>
    <message numerus="yes">
        <source>%n process(es) could not be inspected.</source>
        <translation>
            <numerusform>有 %n 个进程无法检查。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln page(s) × %1</source>
        <translation>
            <numerusform>%Ln 页 × %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>shmscope::PeersModel</name>
    <message>
        <source>…</source>
        <translation>…</translation>
    </message>
    <message>
        <source>GUI</source>
        <translation>GUI</translation>
    </message>
    <message>
        <source>CLI</source>
        <translation>CLI</translation>
    </message>
    <message>
        <source>Connected; its hello has not arrived yet</source>
        <translation>已连接；尚未收到其 hello 消息</translation>
    </message>
    <message>
        <source>The shmscope desktop inspector</source>
        <translation>shmscope 桌面查看器</translation>
    </message>
    <message>
        <source>shmscope-cli watch</source>
        <translation>shmscope-cli watch</translation>
    </message>
    <message>
        <source>PID</source>
        <translation>PID</translation>
    </message>
    <message>
        <source>Process</source>
        <translation>进程</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>连接时间</translation>
    </message>
</context>
<context>
    <name>shmscope::RuntimeDir</name>
    <message>
        <source>cannot set mode 0700 on %1: %2</source>
        <translation>无法将 %1 的权限设为 0700: %2</translation>
    </message>
    <message>
        <source>cannot create directory %1: %2</source>
        <translation>无法创建目录 %1: %2</translation>
    </message>
    <message>
        <source>cannot use directory %1: %2</source>
        <translation>无法使用目录 %1: %2</translation>
    </message>
    <message>
        <source>refusing directory %1: it is a symbolic link</source>
        <translation>拒绝使用目录 %1: 它是符号链接</translation>
    </message>
    <message>
        <source>refusing directory %1: it is not a directory</source>
        <translation>拒绝使用目录 %1: 它不是目录</translation>
    </message>
    <message>
        <source>refusing directory %1: it is owned by uid %2, not by uid %3</source>
        <translation>拒绝使用目录 %1: 其属主为 uid %2，而非 uid %3</translation>
    </message>
    <message>
        <source>refusing directory %1: its mode %2 lets other users in (it must be 0700)</source>
        <translation>拒绝使用目录 %1: 其权限 %2 允许其他用户访问（必须为 0700）</translation>
    </message>
    <message>
        <source>%1; no private fallback either: %2</source>
        <translation>%1；也没有可用的私有备用目录: %2</translation>
    </message>
    <message>
        <source>there is no cache directory for the record of the fallback</source>
        <translation>没有可用于记录备用目录的缓存目录</translation>
    </message>
    <message>
        <source>cannot create directory %1</source>
        <translation>无法创建目录 %1</translation>
    </message>
    <message>
        <source>cannot lock %1</source>
        <translation>无法锁定 %1</translation>
    </message>
    <message>
        <source>cannot create a directory in %1: %2</source>
        <translation>无法在 %1 中创建目录: %2</translation>
    </message>
    <message>
        <source>cannot write %1: %2</source>
        <translation>无法写入 %1: %2</translation>
    </message>
</context>
<context>
    <name>shmscope::ScanPanel</name>
    <message>
        <source>Exact value</source>
        <translation>精确值</translation>
    </message>
    <message>
        <source>Value between</source>
        <translation>介于两值之间</translation>
    </message>
    <message>
        <source>Unknown initial value</source>
        <translation>未知初始值</translation>
    </message>
    <message>
        <source>Changed</source>
        <translation>已变化</translation>
    </message>
    <message>
        <source>Unchanged</source>
        <translation>未变化</translation>
    </message>
    <message>
        <source>Increased</source>
        <translation>已增大</translation>
    </message>
    <message>
        <source>Decreased</source>
        <translation>已减小</translation>
    </message>
    <message>
        <source>Increased by</source>
        <translation>增大了</translation>
    </message>
    <message>
        <source>Decreased by</source>
        <translation>减小了</translation>
    </message>
    <message>
        <source>Equal to</source>
        <translation>等于</translation>
    </message>
    <message>
        <source>&amp;Big endian</source>
        <translation>大端序(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;Aligned</source>
        <translation>对齐(&amp;A)</translation>
    </message>
    <message>
        <source>Only offsets that are a multiple of the value&apos;s size (unchecked: every byte)</source>
        <translation>只检查值大小整数倍的偏移（不勾选：检查每个字节）</translation>
    </message>
    <message>
        <source>value (decimal or 0x…)</source>
        <translation>值（十进制或 0x…）</translation>
    </message>
    <message>
        <source>up to</source>
        <translation>至</translation>
    </message>
    <message>
        <source>&amp;First Scan</source>
        <translation>首次扫描(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Next Scan</source>
        <translation>再次扫描(&amp;N)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Add Boo&amp;kmark</source>
        <translation>添加书签(&amp;K)</translation>
    </message>
    <message>
        <source>No scan yet.</source>
        <translation>尚未扫描。</translation>
    </message>
    <message>
        <source>Offset</source>
        <translation>偏移</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Last Scan</source>
        <translation>上次扫描</translation>
    </message>
    <message>
        <source>&amp;Type:</source>
        <translation>类型(&amp;T)：</translation>
    </message>
    <message>
        <source>F&amp;irst scan:</source>
        <translation>首次扫描(&amp;I)：</translation>
    </message>
    <message>
        <source>Ne&amp;xt scan:</source>
        <translation>再次扫描(&amp;X)：</translation>
    </message>
    <message>
        <source>&amp;Value:</source>
        <translation>值(&amp;V)：</translation>
    </message>
    <message>
        <source>No object is open.</source>
        <translation>未打开任何对象。</translation>
    </message>
    <message>
        <source>A scan is running.</source>
        <translation>扫描正在进行。</translation>
    </message>
    <message>
        <source>Run a first scan before a next scan.</source>
        <translation>请先进行首次扫描，再进行再次扫描。</translation>
    </message>
    <message>
        <source>The object shrank since the first scan: start a new scan.</source>
        <translation>自首次扫描以来对象已缩小：请开始新的扫描。</translation>
    </message>
    <message>
        <source>No temporary folder for the scan state.</source>
        <translation>没有可用于保存扫描状态的临时文件夹。</translation>
    </message>
    <message>
        <source>Scanning…</source>
        <translation>正在扫描…</translation>
    </message>
    <message>
        <source>Narrowing…</source>
        <translation>正在缩小范围…</translation>
    </message>
    <message>
        <source>Cancelled: the candidates are as before.</source>
        <translation>已取消：候选与之前相同。</translation>
    </message>
    <message numerus="yes">
        <source>%n candidate(s) after %1 scan(s)</source>
        <translation>
            <numerusform>%1 次扫描后剩余 %n 个候选</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 at %2</source>
        <translation>%2 处的 %1</translation>
    </message>
    <message>
        <source>Cancelled: the object was closed.</source>
        <translation>已取消：对象已关闭。</translation>
    </message>
</context>
<context>
    <name>shmscope::SnapshotPanel</name>
    <message>
        <source>&amp;Take Snapshot</source>
        <translation>创建快照(&amp;T)</translation>
    </message>
    <message>
        <source>Save the selection, or the whole object, to a snapshot file</source>
        <translation>将选区或整个对象保存到快照文件</translation>
    </message>
    <message>
        <source>&amp;Compare</source>
        <translation>比较(&amp;C)</translation>
    </message>
    <message>
        <source>Compare the live object with the selected snapshot</source>
        <translation>将实时对象与所选快照进行比较</translation>
    </message>
    <message>
        <source>&amp;Side by Side</source>
        <translation>并排显示(&amp;S)</translation>
    </message>
    <message>
        <source>Show the snapshot beside, at the live cursor&apos;s offset</source>
        <translation>在旁边显示快照，位于实时视图光标所在的偏移处</translation>
    </message>
    <message>
        <source>Offset</source>
        <translation>偏移</translation>
    </message>
    <message>
        <source>Length</source>
        <translation>长度</translation>
    </message>
    <message>
        <source>Snapshot</source>
        <translation>快照</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>实时</translation>
    </message>
    <message>
        <source>Hex view of the snapshot</source>
        <translation>快照的十六进制视图</translation>
    </message>
    <message>
        <source>Next &amp;Difference</source>
        <translation>下一处差异(&amp;D)</translation>
    </message>
    <message>
        <source>Previous Di&amp;fference</source>
        <translation>上一处差异(&amp;F)</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <source>No object is open.</source>
        <translation>未打开任何对象。</translation>
    </message>
    <message>
        <source>Cannot create the folder %1.</source>
        <translation>无法创建文件夹 %1。</translation>
    </message>
    <message numerus="yes">
        <source>%1 — %2, %n byte(s) at %3</source>
        <translation>
            <numerusform>%1 — %2，位于 %3 的 %n 字节</numerusform>
        </translation>
    </message>
    <message>
        <source>Take or select a snapshot of an open object first.</source>
        <translation>请先为已打开的对象创建或选择一个快照。</translation>
    </message>
    <message>
        <source>A comparison is running.</source>
        <translation>比较正在进行。</translation>
    </message>
    <message>
        <source>Comparing…</source>
        <translation>正在比较…</translation>
    </message>
    <message>
        <source>Comparison cancelled.</source>
        <translation>比较已取消。</translation>
    </message>
    <message numerus="yes">
        <source>%n differing range(s). F7: next, Shift+F7: previous.</source>
        <translation>
            <numerusform>%n 个不同的范围。F7：下一个，Shift+F7：上一个。</numerusform>
        </translation>
    </message>
    <message>
        <source>Compare &amp;With</source>
        <translation>与其他项比较(&amp;W)</translation>
    </message>
    <message>
        <source>Compare the selected snapshot with another one, or the object shown with another object</source>
        <translation>将所选快照与另一个快照比较，或将当前显示的对象与另一个对象比较</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Stop writing the snapshot; nothing of it is kept</source>
        <translation>停止写入快照；不会保留其任何内容</translation>
    </message>
    <message>
        <source>A snapshot is being written.</source>
        <translation>正在写入快照。</translation>
    </message>
    <message>
        <source>Writing the snapshot…</source>
        <translation>正在写入快照…</translation>
    </message>
    <message>
        <source>Comparison cancelled: the object was closed.</source>
        <translation>比较已取消：对象已关闭。</translation>
    </message>
    <message>
        <source>Snapshot cancelled: the object was closed.</source>
        <translation>快照已取消：对象已关闭。</translation>
    </message>
    <message>
        <source>Snapshot cancelled: nothing was kept.</source>
        <translation>快照已取消：未保留任何内容。</translation>
    </message>
    <message>
        <source>Snapshot %1</source>
        <translation>快照 %1</translation>
    </message>
    <message>
        <source>No other snapshot</source>
        <translation>没有其他快照</translation>
    </message>
    <message>
        <source>Another &amp;Object…</source>
        <translation>另一个对象(&amp;O)…</translation>
    </message>
    <message>
        <source>Compare With Object</source>
        <translation>与对象比较</translation>
    </message>
    <message>
        <source>Address of the object to compare %1 with:</source>
        <translation>要与 %1 比较的对象的地址：</translation>
    </message>
    <message>
        <source>Equal: no byte differs.</source>
        <translation>相同：没有任何字节不同。</translation>
    </message>
</context>
<context>
    <name>shmscope::StructureDelegate</name>
    <message>
        <source>Value of %1</source>
        <translation>%1 的值</translation>
    </message>
</context>
<context>
    <name>shmscope::StructureModel</name>
    <message>
        <source>(not decoded)</source>
        <translation>（未解码）</translation>
    </message>
    <message numerus="yes">
        <source>%n element(s)</source>
        <translation>
            <numerusform>%n 个元素</numerusform>
        </translation>
    </message>
    <message>
        <source>⚠ %1</source>
        <translation>⚠ %1</translation>
    </message>
    <message numerus="yes">
        <source>%n bit(s)</source>
        <translation>
            <numerusform>%n 位</numerusform>
        </translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Offset</source>
        <translation>偏移</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Edit %1: %2; nothing written</source>
        <translation>编辑 %1: %2；未写入任何内容</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
</context>
<context>
    <name>shmscope::StructurePanel</name>
    <message>
        <source>Choose a layout</source>
        <translation>选择布局</translation>
    </message>
    <message>
        <source>Layout</source>
        <translation>布局</translation>
    </message>
    <message>
        <source>Where the layout starts in the object: decimal or 0x-hex bytes</source>
        <translation>布局在对象中的起始位置：字节数，十进制或 0x 十六进制</translation>
    </message>
    <message>
        <source>Base offset</source>
        <translation>基准偏移</translation>
    </message>
    <message>
        <source>Fields</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>&amp;Layout:</source>
        <translation>布局(&amp;L)：</translation>
    </message>
    <message>
        <source>O&amp;ffset:</source>
        <translation>偏移(&amp;F)：</translation>
    </message>
    <message>
        <source>no hex view to write through</source>
        <translation>没有可用于写入的十六进制视图</translation>
    </message>
    <message>
        <source>the hex view refused the write</source>
        <translation>十六进制视图拒绝了写入</translation>
    </message>
    <message>
        <source>Layout %1: there is no built-in layout of that name</source>
        <translation>布局 %1: 没有该名称的内置布局</translation>
    </message>
    <message>
        <source>Layout %1: %2</source>
        <translation>布局 %1: %2</translation>
    </message>
    <message>
        <source>Layout %1</source>
        <translation>布局 %1</translation>
    </message>
    <message>
        <source>Layout %1: the file is gone; the layout read last is kept</source>
        <translation>布局 %1: 文件已不存在；保留上次读取的布局</translation>
    </message>
    <message>
        <source>Layout %1 (the layout read last is kept)</source>
        <translation>布局 %1（保留上次读取的布局）</translation>
    </message>
    <message>
        <source>Layout %1 needs a value for its parameter &apos;%2&apos;, which the panel cannot give</source>
        <translation>布局 %1 的参数 “%2” 需要一个值，但面板无法提供</translation>
    </message>
    <message>
        <source>Layout %1: parameter &apos;%2&apos; comes from another mapping, which a snapshot does not have</source>
        <translation>布局 %1: 参数 “%2” 来自另一个映射，而快照中没有该映射</translation>
    </message>
    <message>
        <source>Layout %1: parameter &apos;%2&apos;: %3</source>
        <translation>布局 %1: 参数 “%2”: %3</translation>
    </message>
    <message>
        <source>Structure offset: %1; the offset stays %2</source>
        <translation>结构偏移: %1；偏移仍为 %2</translation>
    </message>
    <message>
        <source>Open Kaitai Struct Layout</source>
        <translation>打开 Kaitai Struct 布局</translation>
    </message>
    <message>
        <source>Kaitai Struct layouts (*.ksy);;All files (*)</source>
        <translation>Kaitai Struct 布局 (*.ksy);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Open .ksy File…</source>
        <translation>打开 .ksy 文件…</translation>
    </message>
</context>
<context>
    <name>shmscope::TextView</name>
    <message>
        <source>Byte offset of the string: decimal or 0x-hex. Press Enter to apply.</source>
        <translation>字符串的字节偏移：十进制或 0x 十六进制。按 Enter 键应用。</translation>
    </message>
    <message>
        <source>UTF-8</source>
        <translation>UTF-8</translation>
    </message>
    <message>
        <source>UTF-16LE</source>
        <translation>UTF-16LE</translation>
    </message>
    <message>
        <source>How the string&apos;s bytes are decoded and edits encoded</source>
        <translation>字符串字节的解码方式，以及编辑内容的编码方式</translation>
    </message>
    <message>
        <source>&amp;Offset:</source>
        <translation>偏移(&amp;O)：</translation>
    </message>
    <message>
        <source>&amp;Encoding:</source>
        <translation>编码(&amp;E)：</translation>
    </message>
    <message>
        <source>The NUL-terminated string at the offset; edits are written at once.</source>
        <translation>位于该偏移处、以 NUL 结尾的字符串；编辑会立即写入。</translation>
    </message>
    <message>
        <source>Offset %1 is at or past the end of the object (%2 bytes).</source>
        <translation>偏移 %1 位于对象末尾或超出末尾（对象大小为 %2 字节）。</translation>
    </message>
    <message>
        <source>Cannot read the string at %1: %2</source>
        <translation>无法读取 %1 处的字符串: %2</translation>
    </message>
    <message>
        <source>No source</source>
        <translation>无数据源</translation>
    </message>
    <message>
        <source>Nothing readable at %1</source>
        <translation>%1 处没有可读内容</translation>
    </message>
    <message>
        <source>%1 bytes + NUL at %2</source>
        <translation>%1 字节 + NUL，位于 %2</translation>
    </message>
    <message>
        <source>%1 bytes shown, no NUL within 1 MiB</source>
        <translation>已显示 %1 字节，1 MiB 内没有 NUL</translation>
    </message>
    <message>
        <source>%1 bytes, no NUL before the end</source>
        <translation>%1 字节，直到末尾都没有 NUL</translation>
    </message>
    <message>
        <source>The object is attached read-only</source>
        <translation>对象以只读方式附加</translation>
    </message>
    <message>
        <source>There is no object to write to.</source>
        <translation>没有可写入的对象。</translation>
    </message>
    <message>
        <source>The object is attached read-only: the text was not changed.</source>
        <translation>对象以只读方式附加，文本未被修改。</translation>
    </message>
    <message>
        <source>The text cannot contain a NUL character: it would end the string.</source>
        <translation>文本不能包含 NUL 字符：它会使字符串提前结束。</translation>
    </message>
    <message>
        <source>The text does not fit: %1 bytes plus the terminating NUL at offset %2 would end past the end of the object (%3 bytes). The edit was undone.</source>
        <translation>文本放不下：在偏移 %2 处写入 %1 字节及结尾的 NUL 会超出对象末尾（对象大小为 %3 字节）。该编辑已撤销。</translation>
    </message>
    <message>
        <source>Could not write the text at %1: %2</source>
        <translation>无法在 %1 处写入文本: %2</translation>
    </message>
    <message>
        <source>“%1” is not an offset: type a decimal number or 0x followed by hex digits.</source>
        <translation>“%1” 不是有效的偏移：请输入十进制数，或 0x 后跟十六进制数字。</translation>
    </message>
    <message>
        <source>Someone else changed the text meanwhile, and with their change yours does not fit (%1 bytes plus the NUL, %2 bytes from offset %3 to the end of the object). Your edit was undone: %4</source>
        <translation>其他人同时修改了文本，加上他们的修改后你的编辑放不下（%1 字节加上 NUL，而从偏移 %3 到对象末尾只有 %2 字节）。你的编辑已撤销：%4</translation>
    </message>
    <message>
        <source>The text could not be read back to merge your edit: %1. Your edit was not written: %2</source>
        <translation>无法读回文本以合并你的编辑: %1。你的编辑未写入：%2</translation>
    </message>
    <message>
        <source>Others kept changing the text: your edit was not written after %1 attempts: %2</source>
        <translation>其他人一直在修改文本：尝试 %1 次后你的编辑仍未写入：%2</translation>
    </message>
    <message numerus="yes">
        <source>deleting %n character(s).</source>
        <translation>
            <numerusform>删除 %n 个字符。</numerusform>
        </translation>
    </message>
    <message>
        <source>“%1”.</source>
        <translation>“%1”。</translation>
    </message>
    <message>
        <source>the view now shows another object</source>
        <translation>视图现在显示的是另一个对象</translation>
    </message>
    <message>
        <source>the view now shows the string at %1</source>
        <translation>视图现在显示的是 %1 处的字符串</translation>
    </message>
    <message>
        <source>the encoding changed</source>
        <translation>编码已更改</translation>
    </message>
    <message numerus="yes">
        <source>%n edit(s) waiting for the lock were not written: %1</source>
        <translation>
            <numerusform>%n 个等待锁的编辑未被写入: %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n edit(s) waiting for the lock were cancelled and not written; Redo writes them.</source>
        <translation>
            <numerusform>%n 个等待锁的编辑已取消，未被写入；重做会写入它们。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>shmscope::TransferActions</name>
    <message>
        <source>&amp;Export Selection…</source>
        <translation>导出选区(&amp;E)…</translation>
    </message>
    <message>
        <source>&amp;Import…</source>
        <translation>导入(&amp;I)…</translation>
    </message>
    <message>
        <source>Save the selection (or the whole object) as raw, C, Python, base64, hexdump, Intel HEX or S-record</source>
        <translation>将选区（或整个对象）保存为原始字节、C、Python、base64、hexdump、Intel HEX 或 S-record 格式</translation>
    </message>
    <message>
        <source>Write a raw, hexdump, base64, Intel HEX or S-record file into the object</source>
        <translation>将原始字节、hexdump、base64、Intel HEX 或 S-record 文件写入对象</translation>
    </message>
    <message>
        <source>No object is open.</source>
        <translation>未打开任何对象。</translation>
    </message>
    <message>
        <source>The file holds no bytes.</source>
        <translation>该文件中没有任何字节。</translation>
    </message>
    <message numerus="yes">
        <source>%n byte(s) at offset 0x%1 do not fit in the object; nothing written</source>
        <translation>
            <numerusform>偏移 0x%1 处的 %n 字节超出对象范围；未写入任何内容</numerusform>
        </translation>
    </message>
    <message>
        <source>Import %1</source>
        <translation>导入 %1</translation>
    </message>
    <message>
        <source>The write at offset 0x%1 failed: %2</source>
        <translation>在偏移 0x%1 处写入失败：%2</translation>
    </message>
    <message>
        <source>Export Selection</source>
        <translation>导出选区</translation>
    </message>
    <message>
        <source>Intel HEX (*.hex);;Motorola S-record (*.srec *.s19 *.s28 *.s37);;C array (*.c *.h);;Python bytes (*.py);;Base64 (*.b64);;Hexdump (*.txt);;Raw bytes (*)</source>
        <translation>Intel HEX (*.hex);;Motorola S-record (*.srec *.s19 *.s28 *.s37);;C 数组 (*.c *.h);;Python bytes (*.py);;Base64 (*.b64);;Hexdump (*.txt);;原始字节 (*)</translation>
    </message>
    <message>
        <source>Cannot export to %1: %2</source>
        <translation>无法导出到 %1：%2</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>Intel HEX (*.hex);;Motorola S-record (*.srec *.s19 *.s28 *.s37);;Base64 (*.b64);;Hexdump (*.txt);;Raw bytes (*)</source>
        <translation>Intel HEX (*.hex);;Motorola S-record (*.srec *.s19 *.s28 *.s37);;Base64 (*.b64);;Hexdump (*.txt);;原始字节 (*)</translation>
    </message>
    <message>
        <source>Cannot import %1: %2</source>
        <translation>无法导入 %1：%2</translation>
    </message>
</context>
<context>
    <name>shmscope::ViewCardModel</name>
    <message>
        <source>memory-backed (not a file): nothing to write back</source>
        <translation>内存支持（不是文件）：无需写回</translation>
    </message>
    <message numerus="yes">
        <source>%n process(es) not inspected (may map it too)</source>
        <translation>
            <numerusform>有 %n 个进程未检查（它们也可能映射了该对象）</numerusform>
        </translation>
    </message>
    <message>
        <source>?</source>
        <translation>?</translation>
    </message>
    <message>
        <source>%1 (this window)</source>
        <translation>%1（本窗口）</translation>
    </message>
    <message>
        <source>Resident: this view&apos;s pages in memory</source>
        <translation>常驻：此视图在内存中的页</translation>
    </message>
    <message>
        <source>Proportional: each page divided by the number of processes that map it</source>
        <translation>按比例：每个页除以映射它的进程数</translation>
    </message>
    <message>
        <source>Pages mapped by more than one process (clean: not written; dirty: written)</source>
        <translation>被多个进程映射的页（干净：未被写入；脏：已被写入）</translation>
    </message>
    <message>
        <source>Pages mapped by this process only (independent of MAP_SHARED)</source>
        <translation>仅被本进程映射的页（与 MAP_SHARED 无关）</translation>
    </message>
    <message>
        <source>Private copies: pages a copy-on-write view wrote</source>
        <translation>私有副本：写时复制视图写过的页</translation>
    </message>
    <message>
        <source>rw-s: shared view; rw-p: private (copy-on-write) view</source>
        <translation>rw-s：共享视图；rw-p：私有（写时复制）视图</translation>
    </message>
    <message>
        <source>PID</source>
        <translation>PID</translation>
    </message>
    <message>
        <source>Process</source>
        <translation>进程</translation>
    </message>
    <message>
        <source>View</source>
        <translation>视图</translation>
    </message>
    <message>
        <source>Perms</source>
        <translation>权限标志</translation>
    </message>
    <message>
        <source>Backing</source>
        <translation>后备存储</translation>
    </message>
    <message>
        <source>Rss</source>
        <translation>Rss</translation>
    </message>
    <message>
        <source>Pss</source>
        <translation>Pss</translation>
    </message>
    <message>
        <source>Shared clean</source>
        <translation>共享干净</translation>
    </message>
    <message>
        <source>Shared dirty</source>
        <translation>共享脏</translation>
    </message>
    <message>
        <source>Private clean</source>
        <translation>私有干净</translation>
    </message>
    <message>
        <source>Private dirty</source>
        <translation>私有脏</translation>
    </message>
    <message>
        <source>Anonymous</source>
        <translation>匿名</translation>
    </message>
    <message>
        <source>Swap</source>
        <translation>交换</translation>
    </message>
</context>
<context>
    <name>shmscope::WriteQueue</name>
    <message>
        <source>%1 (this process)</source>
        <translation>%1（本进程）</translation>
    </message>
    <message numerus="yes">
        <source>%n edit(s) waiting for the lock (held by pid %1)</source>
        <translation>
            <numerusform>%n 个编辑正在等待锁（锁由 pid %1 持有）</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n edit(s) waiting for the lock (held by a process of another user: its pid cannot be read)</source>
        <translation>
            <numerusform>%n 个编辑正在等待锁（锁由其他用户的进程持有：无法读取其 pid）</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n edit(s) waiting for the lock (held by another process)</source>
        <translation>
            <numerusform>%n 个编辑正在等待锁（锁由另一个进程持有）</numerusform>
        </translation>
    </message>
</context>
</TS>
