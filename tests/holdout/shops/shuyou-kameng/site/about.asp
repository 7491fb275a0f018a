<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>关于我们 - 蜀游卡盟 - 游戏点卡批发|Q币充值|代理加盟</title>
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
<p><b><font size="3" color="#0b5aa2">关于蜀游卡盟</font></b></p>
<p>蜀游卡盟创办于2014年，原为成都本地网吧的点卡供货商，2019年起转为线上经营，现由成都蜀游网络科技有限公司负责运营。网站主要经营各类游戏点卡、一卡通和Q币直充业务，为网吧、工作室和个人玩家提供批发和零售服务。</p>
<p>我们的货源来自骏网、盛大、网易等发行方的授权渠道，每一张卡都能在发行方系统中查到出库记录。</p>
<table width="600" border="1" bordercolor="#9cc1e4" cellpadding="4">
<tr><td width="160" bgcolor="#f5f9fd">公司名称</td><td>成都蜀游网络科技有限公司</td></tr>
<tr><td bgcolor="#f5f9fd">统一社会信用代码</td><td>91510107MA6CJ8N27L</td></tr>
<tr><td bgcolor="#f5f9fd">公司地址</td><td>四川省成都市武侯区科华北路65号世外桃源广场A座1107</td></tr>
<tr><td bgcolor="#f5f9fd">网站备案</td><td>蜀ICP备2022014583号-1</td></tr>
</table>
<p><a name="lianxi"></a><b>联系方式</b><br>
客服热线：028-85562317<br>售前QQ：1873362091 &nbsp; 售后QQ：2215806347<br>
公司地址：四川省成都市武侯区科华北路65号世外桃源广场A座1107（来访请提前电话预约）</p>
<p>我们承诺：不卖黑卡、不卖洗白卡，如发现本站售出的卡密来路不正，我们全额承担损失。</p>
</td></tr></table><table width="980" border="0" align="center" cellpadding="6" cellspacing="0" class="box" style="margin-top:8px">
<tr><td align="center" class="foot">
<a href="/about.asp">关于我们</a> | <a href="/help.asp">帮助中心</a> | <a href="/help_show_3.asp">购卡须知</a> | <a href="/help.asp#daili">代理加盟</a> | <a href="/about.asp#lianxi">联系我们</a><br>
Copyright 2014-2025 蜀游卡盟 All Rights Reserved &nbsp; 客服热线：028-85562317<br>
备案号：蜀ICP备2022014583号-1 &nbsp;&nbsp; <img src="/images/ga.png" width="14" height="14" align="absmiddle"> 川公网安备 51010702043218号<br>
<font color="#999">温馨提示：本站不向未成年人提供服务，请合理安排游戏时间。</font>
</td></tr></table>
</body></html>
