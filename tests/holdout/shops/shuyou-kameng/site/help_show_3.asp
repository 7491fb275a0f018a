<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>购卡须知及退换规则 - 蜀游卡盟 - 游戏点卡批发|Q币充值|代理加盟</title>
<style type="text/css">
body{margin:0;font-size:12px;background:#eef3f8;font-family:宋体,SimSun,serif}
table{border-collapse:collapse} td{font-size:12px;line-height:22px}
.top{background:#0b5aa2;color:#fff} .top a{color:#fff;text-decoration:none;margin:0 8px}
.box{border:1px solid #9cc1e4;background:#fff} .tit{background:#dbe9f7;font-weight:bold;color:#0b5aa2;padding-left:8px}
.red{color:#f00} .foot{color:#555;line-height:24px}
</style></head>
<body>
<table width="980" border="0" align="center" cellpadding="0" cellspacing="0">
<tr><td height="70"><img src="/images/logo.gif" alt="蜀游卡盟" width="260" height="60" align="absmiddle"> <font color="#0b5aa2" size="4"><b>蜀游卡盟</b></font> <font color="#888">十年老店 · 诚信经营</font></td>
<td align="right"><font color="#f60">客服热线：028-85562317</font><br>值班QQ：1873362091 &nbsp; 2215806347</td></tr>
<tr class="top"><td colspan="2" height="32">
<a href="/">网站首页</a>|<a href="/product.asp">商品列表</a>|<a href="/member/index.asp">会员中心</a>|<a href="/help.asp">帮助中心</a>|<a href="/news_12.asp">网站公告</a>|<a href="/about.asp">关于我们</a>|<a href="/reg.asp">免费注册</a>
</td></tr></table>

<table width="980" border="0" align="center" cellpadding="10" class="box" style="margin-top:8px"><tr><td>
<p align="center"><b><font size="3" color="#0b5aa2">购卡须知及退换规则</font></b><br><font color="#999">发布时间：2023-02-08 &nbsp; 浏览次数：18426</font></p>
<p>各位会员朋友，为了保障大家的权益，减少纠纷，购卡前请务必阅读以下规则。在本站注册并购卡，即表示您已经了解并接受本规则。</p>
<p><b>一、撤单与退款</b></p>
<p>1、会员购买的卡密在未提取之前，可以在会员中心“我的订单”里申请撤单，货款全额退回会员账户余额。</p>
<p>2、卡密一经提取并充值成功，即视为交易完成，已经使用过的卡密不予退换。</p>
<p><b>二、问题卡处理</b></p>
<p>3、若提取的卡密提示无效、面值不符或已被使用，本站核实后为您补发同面值卡密，无法补发的退还货款。</p>
<p>4、申请处理问题卡时，请提供卡号以及在游戏官网充值失败的截图。</p>
<p>5、问题卡一般在2小时内处理完毕，最迟不超过1个工作日。</p>
<p><b>三、其他</b></p>
<p>6、对处理结果不满意的，可以联系值班客服，或者在会员中心提交投诉，我们会安排主管复核。</p>
<p>7、请勿相信任何自称本站客服、要求您转账或提供登录密码的陌生人，本站客服不会主动添加您的QQ。</p>
<p>8、本规则由蜀游卡盟负责解释，本站保留对上述规则的最终解释权。</p>
<p align="right">蜀游卡盟客服部<br>2023年2月8日</p>
</td></tr></table><table width="980" border="0" align="center" cellpadding="6" cellspacing="0" class="box" style="margin-top:8px">
<tr><td align="center" class="foot">
<a href="/about.asp">关于我们</a> | <a href="/help.asp">帮助中心</a> | <a href="/help_show_3.asp">购卡须知</a> | <a href="/help.asp#daili">代理加盟</a> | <a href="/about.asp#lianxi">联系我们</a><br>
Copyright 2014-2025 蜀游卡盟 All Rights Reserved &nbsp; 客服热线：028-85562317<br>
备案号：蜀ICP备2022014583号-1 &nbsp;&nbsp; <img src="/images/ga.png" width="14" height="14" align="absmiddle"> 川公网安备 51010702043218号<br>
<font color="#999">温馨提示：本站不向未成年人提供服务，请合理安排游戏时间。</font>
</td></tr></table>
</body></html>
