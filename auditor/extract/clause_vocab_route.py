"""Vocabulary of what the buyer must show and where to turn (clause_rules.py, via clause_vocab):
proofs and facts asked for, customer service and complaint routes (evidence_required,
complaint_channel).
"""
from __future__ import annotations

import re

# an instruction addressed to the seller ("卖家须截图", "卖家发现…应向平台举报"): not the buyer's proof or route
SELLER_SUBJECT_RE = re.compile(r"(?:^|[，,])(?:[^，,。；;]{0,6}前[，,]?)?(?:卖家|商家|接单者|接单人|代练者?|打手|号商)(?:在[^，,。；;]{0,10}前)?(?:须|需|应当|应|必须|要|发现)")

EVIDENCE_RE = re.compile(r"截图|截屏|录屏|录像|视频|凭证|证据|证明|聊天记录|订单号|订单编号|单号|照片|图片|付款记录|支付记录|"
                         r"交易(?:编号|明细|详情)|购买(?:详情|明细)|扫描件|(?:收银|购物)?小票|(?:寄回|退回|交回)[^，。；;]{0,6}发票|"
                         r"交易记录|(?<!对)账单|收据|回执|错误提示|报错信息|截图证明|身份证|户口本|(?:充值|消费|沟通|物流|订单|登录|交易|购买)记录|"
                         r"流水号|(?:银行|支付|交易|账户|余额|转账)流水(?!号)|机器码|相关(?:文档|材料|资料)|订单详情(?:页)?|证明材料|凭证材料|日志|(?:测试|检测)报告|录(?:下|制)(?=[^，。；;]{0,14}(?:过程|界面|页面|画面))")
# ... or refused for want of it ("拿不出有效凭证的", "没有充分证据的", "缺少证明材料的")
EVIDENCE_ACT_RE = re.compile(r"(?:(?<!卖家)(?<!商家)(?<!接单者)(?:拿出|拿不出|举证)|缺少|缺乏|(?:没有|没|无)(?=充分|足够|有效|确凿|可核实)|录下|截下|提供|上传|提交|出示|报上|告知|写明|注明|写清|写上|说明|列出|带上|带着|记下|备齐|填写|列明|附上|附带|附|保留|留存|保存|收集|准备|备好|截取|录制|拍摄|截图|需要|需|须|必须|凭|应当|发送|携带|携|导出)"
                             r"(?:[^。；;]{0,14}|[^。；;]{0,30}、[^。；;]{0,14})$")   # a list of proofs after the verb
# the buyer is asked for it (not "we can provide invoices")
EVIDENCE_DEMAND_RE = re.compile(r"需|须|请|应|要|务必|必须|凭|建议")
EVIDENCE_CONTEXT_RE = re.compile(r"退|售后|申诉|投诉|补发|核实|审核|理赔|赔付|核验|核查|查证|维权|纠纷|客服|证据|异常|问题|申请|验证(?!码)")
# a record the buyer looks in ("在账单上看到", "购买记录里找到订单"), a voucher redeemed for the goods ("凭电子凭证
#到指定地点核销入园"), a photo the service itself works on ("上传一张人脸照片"): no proof asked for
EVIDENCE_NOT_PROOF_RE = re.compile(r"(?:上|里|中)(?:能|可以|可)?(?:看到|找到|查看|查到|查询到)|[^，。；;]{0,12}(?:核销|入园|入场|取票|换票)")
# ... or a receipt the seller hands out ("可以给你发收据截图"), an identity shown for a real-name purchase
EVIDENCE_NOT_PROOF_BEFORE_RE = re.compile(r"(?:人脸|头像|封面|作品|上传的)$|(?:给你|给您|为你|为您|向你|向您)(?:发|开|提供|出具)[^，。；;]{0,4}$|"
                                          r"^(?=[^退]*$)[^。]*(?:实名制?|记名)[^。]*$")
EVIDENCE_NEG_RE = re.compile(r"(?:无需|无须|不需|不用|不必|免)(?:提供|上传|提交)?[^，。；;]{0,6}$")

# the facts a buyer is asked to state in a refund or problem request ("写明姓名、用户名、订阅邮箱和电话",
# "说明充值时间、金额和订单号"): two or more of them after a verb that hands them over
_INFO_ITEM = (r"(?:姓名|用户名|(?:账户|账号|下单|购买|注册|订阅|联系)?邮箱(?:地址)?|手机号(?:码)?|(?:联系)?电话|(?:下单|充值|游戏|错误|到账)账号|账户信息|(?:玩家|游戏)ID|"
              r"(?:购买|付款|支付|充值|交易|兑换|下单|扣款|误充|沟通)(?:的)?(?:日期|时间|金额|方式|渠道|详情|明细|编号|信息)|购买详情|金额|时间|"
              r"(?:问题|具体)(?:描述|情况)|(?:退款|退费|取消)(?:原因|理由)|(?:许可证)?密钥|兑换码|订单(?:号|编号)|流水号|订阅类型|商品(?:名称|编号)|业务名称|"
              # what was charged and where ("扣费的时间、金额和消费项目", "付款银行和金额", "子账号ID和退单原因")
              r"(?:扣费|扣款|消费)(?:的)?(?:时间|金额|项目)|消费项目|付款银行|(?:子)?(?:账号|用户)ID|(?:退单|退订)原因|兑换编号)")
INFO_DEMAND_RE = re.compile(rf"(?:写明|注明|写清|写上|填上|说明|提供|附上|附带|列出|告知|报上|带上|记下|备齐|出示)[^，。；;]{{0,10}}?{_INFO_ITEM}"
                            rf"(?:[^，。；;、和及或]{{0,8}}(?:、|和|及|以及|或|，|,)(?:[^，。；;、]{{0,10}}?){_INFO_ITEM})+")
# items that identify the buyer or the purchase (a reason or an amount alone identifies nothing)
INFO_IDENTIFIES_RE = re.compile(r"(?:扣费|扣款|付款|充值)(?:的)?时间|消费项目|付款银行|姓名|用户名|邮箱|手机号|电话|账号|账户信息|ID|(?:日期|方式|渠道|详情|明细|编号|信息)|密钥|兑换码|订单(?:号|编号)|流水号")
COMPLAINT_RE = re.compile(
    r"申诉|投诉|工单|(?<![未没不])(?:开启|发起|提出|提交|创建)(?:支付)?争议|争议(?:处理)?(?:中心|页面|入口|流程)|(?:发起|申请)售后|(?:点|点击)[^，。；;]{0,10}(?:售后|理赔|申诉|争议)|反馈(?:入口|通道|渠道|中心)|包赔申请|赔付申请|(?:开启|发起|申请|提交|创建)纠纷|纠纷(?:页面|入口|中心)|(?<!\d)(?:12315|12345)(?!\d)|消费者协会|消协|黑猫|调解|仲裁|诉讼|起诉|人民法院|法院|市场监督管理|市场监管|监管部门|"
    r"举报|维权|纠纷(?:解决|处理|调解)|解决纠纷|争议解决|解决争议|协商不成|(?:申请|请求|要求|请)[^，。；;]{0,8}介入|法律(?:途径|手段|程序)")
STRONG_COMPLAINT_RE = re.compile(r"申诉|投诉|(?<!\d)(?:12315|12345)(?!\d)|消费者协会|消协|黑猫|调解|仲裁|诉讼|起诉|法院|市场监督管理|市场监管|监管部门|维权")
# customer service counts as a complaint route when it is offered for disputes, or with a response time
CS_RE = re.compile(r"客服|支持团队|支持邮件|技术支持|支持人员|售后(?:请求|申请|工单|问题|团队)|联系我们|联系平台|联系商家|联系卖家|发消息给我们|与我们联系|站内信|客服邮箱|热线|人工")
# the buyer is sent to customer service ("联系客服", "咨询在线客服", "通过工单联系"), not told what it does;
# "通过平台审核" is passing a review, 出售后 is after the sale, and goods sent to the buyer by mail
# ("通过邮件收到密钥") use no route
CS_ROUTE_RE = re.compile(r"(?:请|须|需|需要|可以?|要|必须|应)(?:先)?(?:发|写|寄)(?:一封)?(?:电子)?(?:邮件|信)|(?:用|通过)(?:电子)?邮件(?:提出|申请|提交)|书面通知|给我们发|"
                         r"(?:访问|进入|前往|打开)[^，。；;]{0,6}(?:帮助(?:与反馈|中心)|客服中心|支持页面|售后中心)|在帮助与反馈中|"
                         r"(?:联系|找)我(?=[，,。；;]|$)|(?:用|通过)[^，。；;]{0,6}邮箱(?:发信|发邮件|来信|联系)|(?:到|去|前往)[^，。；;]{0,6}(?:门店|服务台|营业厅|网点)|"
                         r"(?:联系|咨询|找|向)[^，。；;]{0,10}(?:管理员|站长|店主|掌柜|老师|班主任|助教|购卡点|门店|网点|(?:苹果|Apple|谷歌|Google|应用商店|App ?Store|Google ?Play|贝宝|PayPal|支付服务商|支付平台)|支持(?:人员|部门)?(?=[，,。；;并和或]|$))|"
                         r"(?:联系|咨询|找|添加|加|通过(?![^，。；;]{0,6}(?:审核|审查|认证|验证|检测|考核))|向|私信|拨打|发送(?:给|至|到)?|发(?:邮件|消息|私信)|留言|反馈(?:给|至)?|转(?!让|卖|移|账|换|借|入|出|发|为|成|交))[^，。；;]{0,10}"
                         r"(?:客服|人工|热线|卖家|商家|平台|我们|店铺|(?<![出销])售后|支付方(?!式)|发卡行|购买渠道|供货商|供应商|(?<!您的)(?<!你的)(?<!提供的)(?<!填写的)(?<!预留的)(?<!留下的)(?<!下单)(?<!收货)(?:(?:电子)?邮件|邮箱)(?![^，。；;]{0,20}?(?<![未没有])(?:收到|发给您|发给你|发到您|发送(?![给至到]?(?:我们|客服|平台|卖家|商家))|发出|送达|交付))|技术支持|支持团队|售后团队|帮助(?:入口|中心))|(?:联系|致电|咨询)[^，。；;]{0,6}(?:银行|发卡公司|信用卡公司)|(?:通知|告知|告诉)(?:我们|客服|平台|卖家|商家|店铺)|联系我们|与我们联系|发消息给我们|站内信留言|"
                         r"客服(?:平台|中心|系统|入口|渠道)|(?:有|如有|遇到)问题[^，。；;]{0,4}(?:请|可)?(?:直接)?(?:留言|私信)|"
                         r"售后问题[^。；;]{0,16}(?:处理|回复|解决)|与[^，。；;]{0,8}(?:客服|我们|平台)(?:沟通|联系|协商)")
CS_PROBLEM_RE = re.compile(r"问题|异常|未经授权|无法|不能|出错|有误|不满意|不符|查不到|找不到|没(?:有)?(?:及时)?(?:到账|收到)|需要帮助|求助|误充|(?<![出销])售后|退款|退订|退货|申请|反馈|核实|核查|说明情况|咨询|疑问|协商|介入|冻结|理赔|补发|更换|"
                           r"未到账|未显示|没有显示|(?:未|没有)收到|失败|错误|无效|处理|解决|帮助|纠纷|止付|确认|查询|撤销|重复扣")
# mentions of disputes that are not a route ("争议解决条款", "适用…法律", the seller threatening to complain);
# goods or accounts complained about ("被投诉举报", "被滥用投诉"), penalties an arbitrator or the
# platform imposes ("仲裁会按情节罚款"), and an account unbanned through a contact ("联系管理员…解封")
COMPLAINT_NOT_RE = re.compile(r"争议解决(?:和|及|、)?(?:司法管辖|法律适用)?(?:的)?条款|(?:解释|争议解决)[^，。；;]{0,6}适用|投诉封号|"
                              # a dispute, chargeback or bad review sanctioned ("向支付机构发起拒付或争议的，我们有权冻结账户"),
                              # others' violations reported ("举报违规代充的工作室")
                              r"(?:拒付|差评|(?:发起|提出|开启)?争议)[^。；;]{0,24}?(?:冻结|封(?:号|禁|停)|注销|禁止|作废|有权拒绝|拒绝继续|停用|黑名单|不再享受)|"
                              r"(?:不得|不能|不可|禁止)[^。；;]{0,8}?(?:拒付|争议)[^，。；;]{0,12}|举报[^，。；;]{0,4}(?:违规|违法|作弊|外挂|盗号|诈骗)|"
                              r"(?:被|遭)(?:人|他人|滥用)?(?:投诉|举报)(?:、|或|和)?(?:投诉|举报)?|"
                              r"(?:仲裁|平台|官方)[^，。；;]{0,8}(?:罚款|扣除保证金|封号|封禁)|联系(?:(?!申诉)[^，。；;]){0,12}解封|"
                              r"纠纷处理流程、|阅读[^。；;]{0,12}(?:纠纷|争议)")
ISSUE_RE = re.compile(r"异议|不满|不服|争议|不认可|不同意")
# asking for a decision to be looked at again: a route when the buyer disagrees ("不满意的，可申请复核")
REVIEW_RE = re.compile(r"(?:申请|要求|提请|可)(?:升级)?(?:复核|复议|复审|重新审核|升级处理)|升级(?:复核|处理|投诉)")
CS_RESPONSE_RE = re.compile(r"(?:小时|分钟|工作日|天)[^，。；;]{0,3}(?:内)?[^，。；;]{0,6}(?:响应|回复|答复)")

# -- round rulesR7 (batches 64-71): widened
CS_ROUTE_RE = re.compile(CS_ROUTE_RE.pattern + r"|意见反馈|客服(?:电话|热线|系统)|(?:打|拨)[^，。；;]{0,4}(?<!\d)(?:10086|10010|10000)(?!\d)|退款邮箱")  # routes named as such: a feedback entry, customer service's phone or system, a carrier's hotline (the law: COMPLAINT_RE)

# -- round rulesR8 (batches 73, 76, 77): proofs the buyer is told to gather or hand in with 把 ("把购买时间、订单号…都整理好",
# "把所有证明材料一起交上去"): asked for as surely as with a verb in front
PROOF_GATHERED_RE = re.compile(r"^[^，。；;]{0,40}?(?:都|一起|一并|全部)?(?:整理好|收集齐|收集好|准备好|备好|备齐|存好|保存好|留好|保管好|交上去|交上来|一起交|一并交)")
# routes in other words: customer service phoned ("致电客服"), the staff asked ("到前台找工作人员说明情况"; a counter
# alone where the refund is done is its procedure, c5153), a named refund channel taken ("走苹果的退款通道"), a ticket under another name ("问题单", "服务单")
CS_ROUTE_RE = re.compile(CS_ROUTE_RE.pattern + r"|(?:致电|电话联系|打电话给|求助)[^，。；;]{0,10}(?:客服|人工|热线|卖家|商家|平台|我们|售后|支持团队)|"
                         r"(?:找|向|联系)[^，。；;]{0,6}(?:工作人员|服务人员)|"
                         # a support team or page turned to ("与支持团队联系", "去官方支持页面求助")
                         r"(?:与|和|跟|向|联系)[^，。；;]{0,8}(?:支持|帮助|售后)团队|(?:去|到|在|上)[^，。；;]{0,14}(?:支持|帮助)(?:页面|页|中心|网站)(?:求助|寻求帮助|咨询|反馈)|"
                         r"(?:走|通过|经由)[^，。；;]{0,8}的?退款(?:通道|渠道|入口)")
COMPLAINT_RE = re.compile(COMPLAINT_RE.pattern + r"|问题单|服务单|售后单|纠纷[”\"」]?(?:入口|页面)")
COMPLAINT_NOT_RE = re.compile(COMPLAINT_NOT_RE.pattern + r"|(?:问题单|服务单|工单)[^，。；;]{0,4}(?:申请)?解封")   # an unban asked for
# the problem brought in other words: a delay, a return or ticket refund, a wrong account topped up, the case told plainly
CS_PROBLEM_RE = re.compile(CS_PROBLEM_RE.pattern + r"|延迟|延误|退换|退费|退票|退卡|充错|填错|输错|追回|(?:讲|说)(?:清楚?|明)[^，。；;]{0,4}(?:情况|问题|要求)")

# -- round rulesR10 (batches 83-90): routes under other names: a customer-support desk ("客户支持", "客户服务"), the game's
# publisher or the carrier ("发行商", "运营商"), a ticket office or venue ("售票点", "景区"), an app store's support
# ("通过苹果支持"), a help request or contact form ("提交帮助请求", "网站联系表"), a hotline dialled by number ("拨打95598"),
# an e-mail sent to apply ("发邮件申请退款") or a request put in writing ("书面提出"), customer service offered to help
CS_ROUTE_RE = re.compile(CS_ROUTE_RE.pattern + r"|(?:联系|咨询|找|致电)[^，。；;]{0,10}(?:客户(?:支持|服务)(?:部|中心|团队)?|发行商|开发商|运营商|服务商|售票(?:点|处)|票务(?:公司|平台)|景区|影院|剧院|场馆)|"
                         r"(?:通过|经由|走)[^，。；;]{0,6}(?:苹果|Apple|谷歌|Google|应用商店|App ?Store|Google ?Play)[^，。；;]{0,4}(?:支持|客服)|"
                         r"(?:提交|发起|发送)[^，。；;]{0,4}(?:帮助|支持)请求|联系表(?:单|格)?|(?:拨打|致电)(?<!\d)\d{5,}|打(?:给)?[^，。；;]{0,4}客服|"
                         r"发(?:送)?(?:电子)?邮件(?:给[^，。；;]{0,6})?(?:申请|提出|提交|要求|说明)|书面(?:形式)?提出|"
                         r"(?:客服|支持)(?:团队|人员)?[^，。；;]{0,6}(?:帮您|帮你|帮助您|帮助你|为您解决|为你解决)")
# the problem brought in other words: reported ("反映"), help asked ("帮忙"), something not understood, a slip or an
# unwitting charge ("操作失误", "不知情"), an order or request to cancel
CS_PROBLEM_RE = re.compile(CS_PROBLEM_RE.pattern + r"|反映|帮忙|不明白|不理解|问清楚|失误|不知情|误购|重复购买|取消(?:订单|请求|申请|购买|预订)|要取消|需要取消|不管用|还是不行")
# proofs asked for in other words: kept ("留好", "保存好"), added or handed in ("补充", "递交"), the order's details named as
# such ("订单信息"), a cancellation's reason or request as the context ("取消原因"), screenshots or versions among the facts to state,
# a form's fields to fill in ("退款申请表需要填写…"; fields typed into a refund entry with no form named are its steps)
EVIDENCE_RE = re.compile(EVIDENCE_RE.pattern + r"|订单信息")
EVIDENCE_ACT_RE = re.compile(r"(?:留好|存好|保存好|保管好|留着|补充|补交|递交|上交)(?:[^。；;]{0,14}|[^。；;]{0,30}、[^。；;]{0,14})$|" + EVIDENCE_ACT_RE.pattern)
EVIDENCE_CONTEXT_RE = re.compile(EVIDENCE_CONTEXT_RE.pattern + r"|取消(?:原因|订单|请求|申请)")
_INFO_ITEM = _INFO_ITEM[:-1] + r"|订单信息|截图|截屏|(?:软件|系统|产品|插件)?版本(?:号)?|操作系统)"
INFO_DEMAND_RE = re.compile(rf"(?:写明|注明|写清|写上|填上|(?<=表)(?:需要|须|需|必须)?填写|说明|提供|附上|附带|列出|告知|报上|带上|记下|备齐|出示)[^，。；;]{{0,10}}?{_INFO_ITEM}"
                            rf"(?:[^，。；;、和及或]{{0,8}}(?:、|和|及|以及|或|，|,)(?:[^，。；;、]{{0,10}}?){_INFO_ITEM})+")
# the proof named first, then what the buyer must do with it or what it must be ("截图等记录也要留好", "所交证据须真实有效")
PROOF_KEPT_RE = re.compile(r"^[^，。；;]{0,14}?(?:也|都|均|一定)?(?:要|需要|须|需|请|务必|必须|应当?)(?:妥善)?(?:留好|保存|保留|留存|保管|存好|备好|准备好|提供|提交|上传|附上)|"
                           r"^(?:材料)?(?:须|需|必须|应当?|要)(?:真实|有效|齐全|完整|清晰|详实)")
